/**
 * The old provinces (before 1 July 2025) and where each went, read once from
 * db/data/admin-units/old-to-new-split.json (dvhcvn/20250701, MIT), and the
 * resolver built from them and the 34 provinces in the database.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../../db/schema.ts'
import { listProvincesForMatching } from '../../models/facility.server.ts'
import { buildProvinceResolver, type OldProvince, type ProvinceResolver } from './provinces.ts'

const SplitFileSchema = z.object({
  data: z
    .array(
      z.object({
        level1_id: z.string().regex(/^\d{2}$/),
        name: z.string().min(1),
        splits: z.array(z.object({ new_id: z.string().regex(/^\d{2}$/) })).min(1),
      }),
    )
    .length(63),
})

const FILE = 'db/data/admin-units/old-to-new-split.json'

/**
 * The file's path. This module runs from source (app/admin/registry/, three
 * levels below the root) and bundled (build/server/index.js, two levels); the
 * working directory is the fallback.
 */
function mappingPath(): string {
  const candidates = [
    fileURLToPath(new URL(`../../../${FILE}`, import.meta.url)),
    fileURLToPath(new URL(`../../${FILE}`, import.meta.url)),
    resolve(process.cwd(), FILE),
  ]
  const found = candidates.find((path) => existsSync(path))
  if (!found) throw new Error(`the province mapping is not at ${candidates.join(' or ')}`)
  return found
}

let oldProvinces: OldProvince[] | undefined

/** The 63 old provinces, names NFC, with the new province code(s) of each. */
export function loadOldProvinces(): OldProvince[] {
  if (!oldProvinces) {
    const raw: unknown = JSON.parse(readFileSync(mappingPath(), 'utf8'))
    oldProvinces = SplitFileSchema.parse(raw).data.map((p) => ({
      code: p.level1_id,
      name: p.name.normalize('NFC'),
      newCodes: [...new Set(p.splits.map((s) => s.new_id))],
    }))
  }
  return oldProvinces
}

export async function getProvinceResolver(db: Kysely<Database>): Promise<ProvinceResolver> {
  const current = await listProvincesForMatching(db)
  return buildProvinceResolver(
    current.map((p) => ({
      code: p.code,
      name: p.name,
      fullName: p.full_name,
      nameEn: p.name_en,
    })),
    loadOldProvinces(),
  )
}

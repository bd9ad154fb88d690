/**
 * What the administrator's pages need from the importer: the uploaded files
 * kept between preview and apply, and the preview cut to what a page can
 * show (the command line prints every row).
 */
import { MIB } from '../../utils/bytes.ts'
import { LruMap } from '../../utils/lru-map.ts'
import type { RegistryPreview } from './preview.ts'

/** An uploaded file waiting for its apply, for at most 30 minutes. */
interface Pending {
  bytes: Uint8Array
  fileName: string
  at: number
}

const PENDING_MS = 30 * 60_000
/**
 * A few files (20 MB at most each) per process. Kept in memory on purpose:
 * the file is the administrator's, not yet the registry's; a restart loses
 * it and the page asks for the upload again.
 */
const pending = new LruMap<string, Pending>({ entries: 4, bytes: 48 * MIB })

const pendingKey = (userId: number, sha256: string) => `${userId}:${sha256}`

export function keepUpload(userId: number, sha256: string, file: Omit<Pending, 'at'>): void {
  pending.set(pendingKey(userId, sha256), { ...file, at: Date.now() })
}

/** The user's own uploaded file with this hash, if still kept. */
export function takeUpload(userId: number, sha256: string): Omit<Pending, 'at'> | null {
  const key = pendingKey(userId, sha256)
  const file = pending.get(key)
  if (!file) return null
  if (Date.now() - file.at > PENDING_MS) {
    pending.delete(key)
    return null
  }
  return file
}

export function forgetUpload(userId: number, sha256: string): void {
  pending.delete(pendingKey(userId, sha256))
}

/** Rows shown per list; past it the page says how many more (the counts are always complete). */
export const PAGE_CAP = { errors: 2000, lists: 500 } as const

export function previewView(
  preview: RegistryPreview,
  file: { fileName: string; sha256: string; planHash: string },
) {
  return {
    ...file,
    format: preview.format,
    rows: preview.rows,
    counts: preview.counts,
    ignoredColumns: preview.ignoredColumns,
    absentColumns: preview.absentColumns,
    errors: preview.errors.slice(0, PAGE_CAP.errors),
    errorsTotal: preview.errors.length,
    updates: preview.updates.slice(0, PAGE_CAP.lists).map((u) => ({
      row: u.row,
      code: u.code,
      name: u.name,
      closed: u.closed,
      changes: u.changes,
    })),
    updatesTotal: preview.updates.length,
    inserts: preview.inserts.slice(0, PAGE_CAP.lists).map((i) => ({
      row: i.row,
      code: i.record.code,
      name: i.record.name,
      province: i.record.province_code,
      tier: i.record.tier,
      beds: i.record.beds,
    })),
    insertsTotal: preview.inserts.length,
    missing: preview.missing.slice(0, PAGE_CAP.lists),
    missingTotal: preview.missing.length,
    provinceNotes: preview.provinceNotes.slice(0, PAGE_CAP.lists),
    provinceNotesTotal: preview.provinceNotes.length,
  }
}

export type PreviewView = ReturnType<typeof previewView>

import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
/**
 * The access matrix: actors, row shape, and the rows gathered from every
 * file in `access-matrix/` (one file per feature, each exporting
 * `rows(fixtures)`). Each route file in app/routes appears in at least one
 * row (its `route` is the file name without extension). Statuses: 200 page,
 * 302 redirect (to /login when signed out), 401 signed out at a JSON
 * endpoint, 403 refused, 404 not found or outside scope, 400 bad input,
 * 409 conflict.
 */
export const ACTORS = [
  { name: 'anonymous', login: null },
  { name: 'director', login: 'giamdoc.thanhhoa' },
  { name: 'staff', login: 'nhanvien.thanhhoa' },
  { name: 'provinceReviewer', login: 'soyte.thanhhoa' },
  { name: 'otherProvinceReviewer', login: 'soyte.caobang' },
  { name: 'ministryReviewer', login: 'boyte' },
  { name: 'admin', login: 'quantri' },
] as const

export type Actor = (typeof ACTORS)[number]['name']

export interface Fixtures {
  /** The test file's own database, for rows that need ids (assessments, runs …). */
  db: Kysely<Database>
  /** The facility of the director and staff (province 38). */
  ownFacilityId: number
  /** Another facility of province 38. */
  sameProvinceFacilityId: number
  /** A facility of province 04. */
  otherProvinceFacilityId: number
}

export interface MatrixRow {
  route: string
  path: string
  method?: 'GET' | 'POST'
  form?: Record<string, string>
  /** Sent with a foreign Origin and Sec-Fetch-Site: cross-site. */
  crossSite?: boolean
  expect: Record<Actor, number>
}

export const all = (status: number): Record<Actor, number> => ({
  anonymous: status,
  director: status,
  staff: status,
  provinceReviewer: status,
  otherProvinceReviewer: status,
  ministryReviewer: status,
  admin: status,
})

export const signedIn = (status: number, anonymous = 302): Record<Actor, number> => ({
  ...all(status),
  anonymous,
})

type RowsModule = { rows: (f: Fixtures) => MatrixRow[] | Promise<MatrixRow[]> }
const modules = import.meta.glob<RowsModule>('./access-matrix/*.ts', { eager: true })

/** The feature files of the matrix (`access-matrix/<feature>.ts`), in a stable order. */
export const FEATURES = Object.keys(modules)
  .sort()
  .map((path) => path.replace(/^.*\/(.*)\.ts$/, '$1'))

/** Every feature's rows (builds each file's fixtures once). */
export async function buildMatrix(f: Fixtures): Promise<Map<string, MatrixRow[]>> {
  const byFeature = new Map<string, MatrixRow[]>()
  for (const path of Object.keys(modules).sort()) {
    const mod = modules[path]
    const feature = path.replace(/^.*\/(.*)\.ts$/, '$1')
    if (mod) byFeature.set(feature, await mod.rows(f))
  }
  return byFeature
}

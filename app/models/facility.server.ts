/** Facilities: one small function per query, always scoped by the caller's filter. */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { Database, FacilityUpdate, NewFacility } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { likePattern } from './facility-list.server.ts'

/** Restricts any query joined on `facilities` to the user's scope. */
export function whereInScope<O>(
  query: SelectQueryBuilder<Database, 'facilities', O>,
  filter: FacilityFilter,
): SelectQueryBuilder<Database, 'facilities', O> {
  switch (filter.kind) {
    case 'all':
      return query
    case 'province':
      return query.where('facilities.province_code', '=', filter.provinceCode)
    case 'facility':
      return query.where('facilities.id', '=', filter.facilityId)
  }
}

export async function getFacilityDetails(db: Kysely<Database>, facilityId: number) {
  return db
    .selectFrom('facilities')
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .select([
      'facilities.id',
      'facilities.code',
      'facilities.name',
      'facilities.province_code',
      'facilities.tier',
      'facilities.ownership',
      'facilities.beds',
      'facilities.autonomy_group',
      'facilities.emr_status',
      'facilities.address',
      'facilities.phone',
      'facilities.closed_at',
      'provinces.full_name as province_name',
      'provinces.full_name_en as province_name_en',
    ])
    .where('facilities.id', '=', facilityId)
    .executeTakeFirst()
}

/** What the registry says about a facility that answer rules may read (scoring/answer-rules.ts). */
export async function getFacilityRegistryRow(db: Kysely<Database>, facilityId: number) {
  return db
    .selectFrom('facilities')
    .select([
      'ownership',
      'tier',
      'beds',
      'emr_status',
      'autonomy_group',
      'has_imaging',
      'referral_role',
      'facility_class',
    ])
    .where('id', '=', facilityId)
    .executeTakeFirst()
}

export async function countFacilitiesByTier(db: Kysely<Database>, filter: FacilityFilter) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .select(['facilities.tier', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('facilities.tier')
    .orderBy('facilities.tier')
    .execute()
}

export async function getProvinceName(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('provinces')
    .select(['code', 'full_name', 'full_name_en'])
    .where('code', '=', code)
    .executeTakeFirst()
}

export async function countSystemRows(db: Kysely<Database>) {
  const [users, facilities, provinces] = await Promise.all([
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('facilities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('provinces')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return {
    users: Number(users.n),
    facilities: Number(facilities.n),
    provinces: Number(provinces.n),
  }
}

/** Provinces a user may filter by (their own only, for a province reviewer). */
export async function listProvinces(db: Kysely<Database>, filter: FacilityFilter) {
  let query = db.selectFrom('provinces').select(['code', 'name']).orderBy('code')
  if (filter.kind === 'province') query = query.where('code', '=', filter.provinceCode)
  return query.execute()
}

/** Every province with the names an imported registry file may use for it. */
export async function listProvincesForMatching(db: Kysely<Database>) {
  return db
    .selectFrom('provinces')
    .select(['code', 'name', 'full_name', 'name_en'])
    .orderBy('code')
    .execute()
}

/** Every facility with the registry's columns (the importer compares a file against these). */
export async function listRegistryFacilities(db: Kysely<Database>) {
  return db
    .selectFrom('facilities')
    .select([
      'id',
      'code',
      'name',
      'province_code',
      'tier',
      'ownership',
      'beds',
      'autonomy_group',
      'emr_status',
      'address',
      'phone',
      'closed_at',
    ])
    .orderBy('code')
    .execute()
}

/** When an administrator closed the facility (ISO timestamp), or null while it is open. */
export async function getFacilityClosedAt(
  db: Kysely<Database>,
  facilityId: number,
): Promise<string | null> {
  const row = await db
    .selectFrom('facilities')
    .select('closed_at')
    .where('id', '=', facilityId)
    .executeTakeFirst()
  return row?.closed_at ?? null
}

/** Inserts facilities in chunks; returns each new row's id and code. */
export async function insertFacilities(db: Kysely<Database>, rows: NewFacility[]) {
  const inserted: { id: number; code: string }[] = []
  // 11 columns × 500 rows stays far below SQLite's limit on bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    inserted.push(
      ...(await db
        .insertInto('facilities')
        .values(rows.slice(i, i + 500))
        .returning(['id', 'code'])
        .execute()),
    )
  }
  return inserted
}

/** Writes the given columns of one facility; true when the row exists. */
export async function updateFacility(db: Kysely<Database>, id: number, values: FacilityUpdate) {
  const result = await db
    .updateTable('facilities')
    .set(values)
    .where('id', '=', id)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/**
 * Sets or clears `closed_at` when the facility is in the other state; true
 * when a row changed (false: no such facility, or already so).
 */
export async function setFacilityClosed(
  db: Kysely<Database>,
  input: { id: number; closedAt: string | null },
) {
  const result = await db
    .updateTable('facilities')
    .set({ closed_at: input.closedAt })
    .where('id', '=', input.id)
    .where('closed_at', input.closedAt === null ? 'is not' : 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export interface RegistryListQuery {
  /** Folded (db/text.ts) search text, matched against the name's search key and the code. */
  search?: string
  status: 'all' | 'open' | 'closed'
  offset: number
  limit: number
}

function registryListQuery(db: Kysely<Database>, q: RegistryListQuery) {
  let query = db
    .selectFrom('facilities')
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
  if (q.status === 'open') query = query.where('facilities.closed_at', 'is', null)
  if (q.status === 'closed') query = query.where('facilities.closed_at', 'is not', null)
  if (q.search) {
    const pattern = likePattern(q.search)
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`facilities.search_key LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`lower(facilities.code) LIKE ${pattern} ESCAPE '\\'`,
      ]),
    )
  }
  return query
}

/** A page of the registry for administrators, by code. */
export async function listRegistryPage(db: Kysely<Database>, q: RegistryListQuery) {
  return registryListQuery(db, q)
    .select([
      'facilities.id',
      'facilities.code',
      'facilities.name',
      'facilities.tier',
      'facilities.beds',
      'facilities.closed_at',
      'provinces.name as province_name',
    ])
    .orderBy('facilities.code')
    .limit(q.limit)
    .offset(q.offset)
    .execute()
}

export async function countRegistryPage(db: Kysely<Database>, q: RegistryListQuery) {
  const row = await registryListQuery(db, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** How many facilities the registry holds, and how many of them are closed. */
export async function countRegistry(db: Kysely<Database>) {
  const row = await db
    .selectFrom('facilities')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('closed_at').as('closed'),
    ])
    .executeTakeFirstOrThrow()
  return { total: Number(row.total), closed: Number(row.closed) }
}

/** Facilities by their codes (account scopes, bulk files). */
export async function getFacilitiesByCodes(db: Kysely<Database>, codes: string[]) {
  if (codes.length === 0) return []
  const rows: Array<{ id: number; code: string; name: string; province_code: string }> = []
  for (let i = 0; i < codes.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('facilities')
        .select(['id', 'code', 'name', 'province_code'])
        .where('code', 'in', codes.slice(i, i + 500))
        .execute()),
    )
  }
  return rows
}

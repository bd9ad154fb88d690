/** Facilities: one small function per query, always scoped by the caller's filter. */
import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'

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
      'provinces.full_name as province_name',
      'provinces.full_name_en as province_name_en',
    ])
    .where('facilities.id', '=', facilityId)
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

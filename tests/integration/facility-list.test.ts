/** The facilities table: scope, diacritic-insensitive search, filters, paging. */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { foldSearchKey } from '../../db/text.ts'
import { countByProvinceAndStatus } from '../../app/models/overview.server.ts'
import {
  countFacilities,
  listFacilities,
  type FacilityListQuery,
} from '../../app/models/facility-list.server.ts'

const { db } = openTestDatabase()
const all = { kind: 'all' } as const
const q = (patch: Partial<FacilityListQuery>): FacilityListQuery => ({
  roundId: null,
  sort: 'name',
  dir: 'asc',
  page: 1,
  pageSize: 500,
  ...patch,
})

beforeAll(async () => {
  // One facility spelled with the other tone-mark placement, as some sources do.
  const row = await db
    .selectFrom('facilities')
    .select('id')
    .where('code', '=', '38002')
    .executeTakeFirstOrThrow()
  const name = 'Bệnh viện Mắt tỉnh Thanh Hóa'
  await db
    .updateTable('facilities')
    .set({ name, search_key: foldSearchKey(name) })
    .where('id', '=', row.id)
    .execute()
})
afterAll(async () => {
  await db.destroy()
})

describe('facility search', () => {
  it('"bach mai" finds Bạch Mai', async () => {
    const rows = await listFacilities(db, all, q({ search: foldSearchKey('bach mai') }))
    expect(rows.map((r) => r.name)).toContain('Bệnh viện Bạch Mai')
  })
  it('"Thanh Hoa" finds both "Thanh Hóa" and "Thanh Hoá"', async () => {
    const names = (await listFacilities(db, all, q({ search: foldSearchKey('Thanh Hoa') }))).map(
      (r) => r.name,
    )
    expect(names).toContain('Bệnh viện Mắt tỉnh Thanh Hóa')
    expect(names).toContain('Bệnh viện Đa khoa tỉnh Thanh Hoá')
  })
  it('accepts NFD input and the letter đ', async () => {
    const nfd = (
      await listFacilities(db, all, q({ search: foldSearchKey('Việt Đức'.normalize('NFD')) }))
    ).map((r) => r.name)
    expect(nfd).toContain('Bệnh viện Hữu nghị Việt Đức')
    const plain = (await listFacilities(db, all, q({ search: foldSearchKey('viet duc') }))).map(
      (r) => r.name,
    )
    expect(plain).toEqual(nfd)
  })
  it('treats % and _ literally', async () => {
    expect(await countFacilities(db, all, q({ search: '%' }))).toBe(0)
    expect(await countFacilities(db, all, q({ search: '_' }))).toBe(0)
  })
})

describe('facility filters and scope', () => {
  it('keeps a province reviewer inside their province whatever the filter says', async () => {
    const rows = await listFacilities(
      db,
      { kind: 'province', provinceCode: '38' },
      q({ province: '04' }),
    )
    expect(rows).toEqual([])
    const own = await listFacilities(db, { kind: 'province', provinceCode: '38' }, q({}))
    expect(own.length).toBeGreaterThan(0)
  })
  it('pages without overlap and counts the total', async () => {
    const total = await countFacilities(db, all, q({}))
    const first = await listFacilities(db, all, q({ pageSize: 50, page: 1 }))
    const second = await listFacilities(db, all, q({ pageSize: 50, page: 2 }))
    expect(first).toHaveLength(50)
    expect(new Set([...first, ...second].map((r) => r.id)).size).toBe(100)
    expect(total).toBeGreaterThanOrEqual(280)
  })
  it('sorts by composite descending with blanks last', async () => {
    const round = await db
      .selectFrom('rounds')
      .select('id')
      .orderBy('opens_on', 'desc')
      .executeTakeFirstOrThrow()
    const rows = await listFacilities(
      db,
      all,
      q({ roundId: round.id, sort: 'composite', dir: 'desc', status: 'submitted' }),
    )
    const scores = rows.map((r) => r.composite_bp ?? -1)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })
})

describe('round overview', () => {
  it('counts every facility of the scope once, by status, and nothing outside it', async () => {
    const round = await db
      .selectFrom('rounds')
      .select('id')
      .orderBy('opens_on', 'desc')
      .executeTakeFirstOrThrow()
    const rows = await countByProvinceAndStatus(
      db,
      { kind: 'province', provinceCode: '38' },
      round.id,
    )
    expect(new Set(rows.map((r) => r.province_code))).toEqual(new Set(['38']))
    const facilities = await db
      .selectFrom('facilities')
      .select('id')
      .where('province_code', '=', '38')
      .execute()
    expect(rows.reduce((a, r) => a + Number(r.count), 0)).toBe(facilities.length)
    const all = await countByProvinceAndStatus(db, { kind: 'all' }, round.id)
    expect(new Set(all.map((r) => r.province_code)).size).toBe(34)
  })
})

/**
 * The reviewers' facilities table at national scale, on both databases side
 * by side (a SQLite file and a PostgreSQL database, tests/bench/both-databases.ts)
 * with 13,000 facilities (tests/bench/national-database.ts): each view is
 * `listFacilities` + `countFacilities` together, as the page runs them, page 1
 * and page 200 (rows 9,951–10,000) of 50 rows. The limit for a deep page is
 * the page-first query: the same filter and order over `facilities` alone,
 * cut to the page, then the 50 rows' joins (timed here as the name-order
 * page-first query by hand, on the same database). Target (issue #17): page 200 within 2× of it.
 * Best of 7 runs (the machine is shared). Run: npx tsx tests/bench/facilities-bench.ts
 */
import { sql } from 'kysely'
import { countFacilities, listFacilities } from '../../app/models/facility-list.server.ts'
import type { FacilityListQuery } from '../../app/models/facility-list.server.ts'
import type { BenchTable } from './bench-table.ts'
import { onBothDatabases, type BenchDatabase } from './both-databases.ts'
import { buildNationalOn } from './national-database.ts'

const RUNS = 7
const all = { kind: 'all' } as const

async function facilitiesBench(database: BenchDatabase, table: BenchTable) {
  const { db, roundId } = await buildNationalOn(database)
  try {
    const base: FacilityListQuery = { roundId, sort: 'name', dir: 'asc', page: 1, pageSize: 50 }
    const view = (q: Partial<FacilityListQuery>) => async () => {
      const query = { ...base, ...q }
      const [rows, count] = await Promise.all([
        listFacilities(db, all, query),
        countFacilities(db, all, query),
      ])
      if (rows.length === 0 || count === 0) throw new Error(`empty view: ${JSON.stringify(q)}`)
      return rows
    }
    // The limit: facilities alone in name order, cut to page 200, then the 50 rows joined.
    // The same SQL on both databases (through Kysely's raw sql, as the app's queries go).
    const pageFirst = () =>
      sql`SELECT f.id, f.code, f.name, p.name AS province, a.status, s.composite_bp, s.level
       FROM (SELECT id FROM facilities ORDER BY search_key, code LIMIT 50 OFFSET 9950) page
       JOIN facilities f ON f.id = page.id
       JOIN provinces p ON p.code = f.province_code
       LEFT JOIN assessments a ON a.facility_id = f.id AND a.round_id = ${roundId}
       LEFT JOIN scores s ON s.assessment_id = a.id AND s.basis = 'declared'
      ORDER BY f.search_key, f.code`.execute(db)
    const count = () => sql`SELECT COUNT(*) AS n FROM facilities`.execute(db)
    const limit = await table.measure(
      'limit: page-first query by hand, name order, page 200 (+ count)',
      null,
      async () => Promise.all([pageFirst(), count()]),
      RUNS,
    )
    await table.measure('name order, page 1', null, view({}), RUNS)
    await table.measure('name order, page 200', 2 * limit.ms, view({ page: 200 }), RUNS)
    await table.measure('composite ↓, page 1', null, view({ sort: 'composite', dir: 'desc' }), RUNS)
    await table.measure(
      'composite ↓, page 200',
      null,
      view({ sort: 'composite', dir: 'desc', page: 200 }),
      RUNS,
    )
    await table.measure(
      'a domain ↓, page 200',
      null,
      view({ sort: 'domain.cybersecurity', dir: 'desc', page: 200 }),
      RUNS,
    )
    await table.measure('search "thu 12", page 1', null, view({ search: 'thu 12' }), RUNS)
    await table.measure(
      'level R2, composite ↓, page 1',
      null,
      view({ level: 'R2', sort: 'composite', dir: 'desc' }),
      RUNS,
    )
  } finally {
    await db.destroy()
  }
}

await onBothDatabases(import.meta.url, facilitiesBench)

/**
 * 0011 — honest priorities: registry facts and round deadlines the wave
 * planner reads instead of assuming.
 *
 * facilities (each nullable: the registry may not say yet; the registry
 * importer fills them, and an unknown value earns a facility nothing):
 * - `referral_role`: its place in the referral network — 'national' (a
 *   national end-of-line hospital), 'regional' (a regional hub of several
 *   provinces), 'provincial' (a province's referral hospital), 'district'
 *   (a regional health centre, the former district level), 'none' (takes no
 *   referrals, e.g. most private hospitals);
 * - `has_imaging`: 1 when the facility has an imaging department or unit, 0
 *   when it has none; decides whether "no imaging" may make the RIS/PACS
 *   questions not applicable;
 * - `facility_class`: the class Circular 13/2025/TT-BYT sets EMR deadlines by:
 *   'hospital' (licensed hospitals) or 'other' (other facilities with
 *   inpatient, day or outpatient treatment).
 *
 * rounds: the legal EMR deadlines the round ranks against, per class. The
 * defaults are Circular 13/2025's (hospitals 30/9/2025, others 31/12/2026),
 * which applied to every round held before this migration.
 *
 * Frozen in time.
 */
import { sql, type Kysely } from 'kysely'

const DATE = `GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE facilities ADD COLUMN referral_role TEXT
    CHECK (referral_role IN ('none', 'district', 'provincial', 'regional', 'national'))`.execute(db)
  await sql`ALTER TABLE facilities ADD COLUMN has_imaging INTEGER
    CHECK (has_imaging IN (0, 1))`.execute(db)
  await sql`ALTER TABLE facilities ADD COLUMN facility_class TEXT
    CHECK (facility_class IN ('hospital', 'other'))`.execute(db)
  await sql`ALTER TABLE rounds ADD COLUMN hospital_emr_deadline TEXT NOT NULL DEFAULT '2025-09-30'
    CHECK (hospital_emr_deadline ${sql.raw(DATE)})`.execute(db)
  await sql`ALTER TABLE rounds ADD COLUMN other_emr_deadline TEXT NOT NULL DEFAULT '2026-12-31'
    CHECK (other_emr_deadline ${sql.raw(DATE)})`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE rounds DROP COLUMN other_emr_deadline`.execute(db)
  await sql`ALTER TABLE rounds DROP COLUMN hospital_emr_deadline`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN facility_class`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN has_imaging`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN referral_role`.execute(db)
}

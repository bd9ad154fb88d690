/**
 * 0011 — registry facts and round deadlines, PostgreSQL form. SQLite's GLOB
 * date shape is the regular expression below. Frozen in time.
 */
import { sql, type Kysely } from 'kysely'

const DATE = `~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE facilities ADD COLUMN referral_role text
    CHECK (referral_role IN ('none', 'district', 'provincial', 'regional', 'national'))`.execute(db)
  await sql`ALTER TABLE facilities ADD COLUMN has_imaging smallint
    CHECK (has_imaging IN (0, 1))`.execute(db)
  await sql`ALTER TABLE facilities ADD COLUMN facility_class text
    CHECK (facility_class IN ('hospital', 'other'))`.execute(db)
  await sql`ALTER TABLE rounds ADD COLUMN hospital_emr_deadline text NOT NULL DEFAULT '2025-09-30'
    CHECK (hospital_emr_deadline ${sql.raw(DATE)})`.execute(db)
  await sql`ALTER TABLE rounds ADD COLUMN other_emr_deadline text NOT NULL DEFAULT '2026-12-31'
    CHECK (other_emr_deadline ${sql.raw(DATE)})`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE rounds DROP COLUMN other_emr_deadline`.execute(db)
  await sql`ALTER TABLE rounds DROP COLUMN hospital_emr_deadline`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN facility_class`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN has_imaging`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN referral_role`.execute(db)
}

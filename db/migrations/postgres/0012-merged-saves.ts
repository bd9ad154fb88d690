/**
 * 0012 — saves merged on top of newer versions, PostgreSQL form.
 * Frozen in time.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assessment_changes ADD COLUMN based_on_version integer
    CHECK (based_on_version IS NULL OR based_on_version >= 0)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assessment_changes DROP COLUMN based_on_version`.execute(db)
}

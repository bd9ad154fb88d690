/**
 * 0012 — saves merged on top of newer versions.
 *
 * Two people changing different questions of the same assessment no longer
 * conflict: a save built on an older version whose questions nobody else
 * changed since is applied on top of the newest one. Each change row now
 * says which version its author had seen (`based_on_version`): the version
 * before the one it produced for an ordinary save, an older one for a merged
 * save. NULL for rows written before this migration.
 *
 * Frozen in time: no app code, no current schema types.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assessment_changes ADD COLUMN based_on_version INTEGER
    CHECK (based_on_version IS NULL OR based_on_version >= 0)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE assessment_changes DROP COLUMN based_on_version`.execute(db)
}

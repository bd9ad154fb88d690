/**
 * 0018 — draft scores no longer move the planner's `scores` counter.
 *
 * Since autosave stores a draft's declared score after every save (0012),
 * each keystroke batch of a busy round bumped `scores` and made every kept
 * planner list and model preview stale, although both read only submitted
 * and verified assessments. The `scores` triggers now count a row only while
 * its assessment is submitted or verified, as `assessments` has since 0005.
 * A status change past the draft stage bumps `assessments` in the same
 * transaction, so a score written just before a submit is never missed.
 *
 * Frozen in time: the trigger names and statuses below are the schema, not app code.
 */
import { sql, type Kysely } from 'kysely'

const COUNTED = `('submitted', 'verified')`
const BUMP = `UPDATE change_counters SET value = value + 1 WHERE name = 'scores';`
const EVENTS = ['insert', 'update', 'delete'] as const

const statusOf = (row: 'NEW' | 'OLD') =>
  `(SELECT status FROM assessments WHERE id = ${row}.assessment_id)`

function condition(event: (typeof EVENTS)[number]): string {
  if (event === 'insert') return `${statusOf('NEW')} IN ${COUNTED}`
  if (event === 'delete') return `${statusOf('OLD')} IN ${COUNTED}`
  return `${statusOf('OLD')} IN ${COUNTED} OR ${statusOf('NEW')} IN ${COUNTED}`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const event of EVENTS) {
    const name = sql.raw(`scores_count_${event}`)
    await sql`DROP TRIGGER ${name}`.execute(db)
    await sql`CREATE TRIGGER ${name} AFTER ${sql.raw(event.toUpperCase())} ON scores
      WHEN ${sql.raw(condition(event))}
      BEGIN ${sql.raw(BUMP)} END`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const event of EVENTS) {
    const name = sql.raw(`scores_count_${event}`)
    await sql`DROP TRIGGER ${name}`.execute(db)
    await sql`CREATE TRIGGER ${name} AFTER ${sql.raw(event.toUpperCase())} ON scores
      BEGIN ${sql.raw(BUMP)} END`.execute(db)
  }
}

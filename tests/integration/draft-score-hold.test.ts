/**
 * The drafts of saves running together wait for each other
 * (app/assessment/draft-score.server.ts, `whileSaving`): their scores are
 * stored in one batch once the last save has ended, or once the batch has
 * waited its longest, never while a save is still under way before that.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { scheduleDraftScore, whileSaving } from '../../app/assessment/draft-score.server.ts'
import { openTestDatabase } from '../support/test-db.ts'

const { db } = openTestDatabase()

afterAll(async () => {
  await db.destroy()
})

async function twoDrafts() {
  const rows = await db
    .selectFrom('assessments')
    .select(['id', 'round_id'])
    .where('status', 'in', ['draft', 'returned'])
    .where('answers', '!=', '{}')
    .orderBy('id')
    .limit(2)
    .execute()
  expect(rows).toHaveLength(2)
  return rows
}

/** A save that runs until `end` is called. */
function heldSave() {
  let end = () => {}
  const ended = new Promise<void>((r) => (end = r))
  const save = whileSaving(db, () => ended)
  return { end, save }
}

/** Whether `promise` has settled after the event loop has gone round `turns` times. */
async function settledAfter(promise: Promise<unknown>, turns: number): Promise<boolean> {
  let settled = false
  void promise.then(() => (settled = true))
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
  return settled
}

async function clearScores(ids: number[]) {
  await db
    .deleteFrom('scores')
    .where('assessment_id', 'in', ids)
    .where('basis', '=', 'declared')
    .execute()
}

async function declaredCount(ids: number[]) {
  const rows = await db
    .selectFrom('scores')
    .select('assessment_id')
    .where('assessment_id', 'in', ids)
    .where('basis', '=', 'declared')
    .execute()
  return rows.length
}

describe('draft scores of saves running together', () => {
  it('wait for the last save to end, then are stored in one batch', async () => {
    const [a, b] = await twoDrafts()
    if (!a || !b) throw new Error('two drafts expected')
    await clearScores([a.id, b.id])
    const held = heldSave()
    const first = scheduleDraftScore(db, a.id, a.round_id)
    const second = scheduleDraftScore(db, b.id, b.round_id)
    expect(second).toBe(first)
    expect(await settledAfter(first, 20)).toBe(false)
    expect(await declaredCount([a.id, b.id])).toBe(0)
    held.end()
    await held.save
    await first
    expect(await declaredCount([a.id, b.id])).toBe(2)
  })

  it('are stored all the same when a save keeps running', async () => {
    const [a] = await twoDrafts()
    if (!a) throw new Error('a draft expected')
    await clearScores([a.id])
    const held = heldSave()
    // Settles by the batch's own limit (HOLD_MS), the save still under way.
    await scheduleDraftScore(db, a.id, a.round_id)
    expect(await declaredCount([a.id])).toBe(1)
    held.end()
    await held.save
  })

  it('are stored just after a save that runs alone', async () => {
    const [a] = await twoDrafts()
    if (!a) throw new Error('a draft expected')
    await clearScores([a.id])
    let done: Promise<void> | undefined
    await whileSaving(db, async () => {
      done = scheduleDraftScore(db, a.id, a.round_id)
    })
    await done
    expect(await declaredCount([a.id])).toBe(1)
  })
})

/**
 * Draft scores are stored after the save commits (app/assessment/draft-score.server.ts):
 * each run scores the answers stored when it runs, leaves submitted and
 * verified assessments alone, and start-up rescores the drafts a stopped
 * process left with an old score.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, describe, expect, it } from 'vitest'
import { parseScoringModel } from '../../scoring/model-schema.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import { rescoreStaleDrafts, scheduleDraftScore } from '../../app/assessment/draft-score.server.ts'

const { db } = openTestDatabase()

afterAll(async () => {
  await db.destroy()
})

async function firstWithStatus(status: 'draft' | 'submitted') {
  return db
    .selectFrom('assessments')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .innerJoin('scoring_models', 'scoring_models.id', 'rounds.scoring_model_id')
    .select([
      'assessments.id',
      'assessments.answers',
      'rounds.scoring_model_id',
      'assessments.round_id',
      'scoring_models.json as model_json',
    ])
    .where('assessments.status', '=', status)
    .where('assessments.answers', '!=', '{}')
    .orderBy('assessments.id')
    .executeTakeFirstOrThrow()
}

async function declaredScore(assessmentId: number, scoringModelId: number) {
  return db
    .selectFrom('scores')
    .select(['composite_bp', 'completeness', 'computed_at'])
    .where('assessment_id', '=', assessmentId)
    .where('scoring_model_id', '=', scoringModelId)
    .where('basis', '=', 'declared')
    .executeTakeFirst()
}

/** Keeps only the first half of the answers, as a save clearing some would. */
async function halveAnswers(id: number, answers: string) {
  const all = JSON.parse(answers) as Record<string, unknown>
  const kept = Object.fromEntries(
    Object.entries(all).slice(0, Math.ceil(Object.keys(all).length / 2)),
  )
  await db
    .updateTable('assessments')
    .set({ answers: JSON.stringify(kept), updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute()
  return kept
}

describe('draft scores after the save', () => {
  it('score the answers stored when the run comes, one run for saves that coalesce', async () => {
    const draft = await firstWithStatus('draft')
    const model = parseScoringModel(JSON.parse(draft.model_json))
    const kept = await halveAnswers(draft.id, draft.answers)
    const first = scheduleDraftScore(db, draft.id, draft.round_id)
    expect(scheduleDraftScore(db, draft.id, draft.round_id)).toBe(first)
    await first
    const expected = scoreAssessment(model, kept)
    expect(await declaredScore(draft.id, draft.scoring_model_id)).toMatchObject({
      composite_bp: expected.compositeBp,
      completeness: expected.completeness,
    })
  })

  it('score drafts saved together in one batch', async () => {
    const drafts = await db
      .selectFrom('assessments')
      .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
      .innerJoin('scoring_models', 'scoring_models.id', 'rounds.scoring_model_id')
      .select([
        'assessments.id',
        'assessments.answers',
        'rounds.scoring_model_id',
        'assessments.round_id',
        'scoring_models.json as model_json',
      ])
      .where('assessments.status', 'in', ['draft', 'returned'])
      .where('assessments.answers', '!=', '{}')
      .orderBy('assessments.id', 'desc')
      .limit(3)
      .execute()
    expect(drafts).toHaveLength(3)
    const kept = await Promise.all(drafts.map((d) => halveAnswers(d.id, d.answers)))
    const runs = drafts.map((d) => scheduleDraftScore(db, d.id, d.round_id))
    expect(new Set(runs).size).toBe(1)
    await Promise.all(runs)
    for (const [i, d] of drafts.entries()) {
      const expected = scoreAssessment(parseScoringModel(JSON.parse(d.model_json)), kept[i] ?? {})
      expect((await declaredScore(d.id, d.scoring_model_id))?.composite_bp).toBe(
        expected.compositeBp,
      )
    }
  })

  it('leave a submitted assessment’s score as submit stored it', async () => {
    const submitted = await firstWithStatus('submitted')
    const before = await declaredScore(submitted.id, submitted.scoring_model_id)
    await halveAnswers(submitted.id, submitted.answers)
    await scheduleDraftScore(db, submitted.id, submitted.round_id)
    expect(await declaredScore(submitted.id, submitted.scoring_model_id)).toEqual(before)
  })

  it('are redone at start-up for drafts whose score is older than their answers', async () => {
    const draft = await firstWithStatus('draft')
    const model = parseScoringModel(JSON.parse(draft.model_json))
    const expected = scoreAssessment(model, JSON.parse(draft.answers) as Record<string, unknown>)
    // An old score of other answers, as a process stopped before the run would leave it.
    const wrong = expected.compositeBp === 0 ? 1 : 0
    await db
      .updateTable('scores')
      .set({ composite_bp: wrong, computed_at: '2000-01-01T00:00:00.000Z' })
      .where('assessment_id', '=', draft.id)
      .where('basis', '=', 'declared')
      .execute()
    expect(await rescoreStaleDrafts(db)).toBeGreaterThanOrEqual(1)
    expect((await declaredScore(draft.id, draft.scoring_model_id))?.composite_bp).toBe(
      expected.compositeBp,
    )
    expect(await rescoreStaleDrafts(db)).toBe(0)
  })
})

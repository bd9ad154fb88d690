/**
 * Shipped content (questionnaires and scoring models) and the demo round.
 * Content rows are immutable: a version is inserted once, and a changed file
 * under an existing version is refused (release a new version instead).
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { parseScoringModel, type ScoringModel } from '../scoring/model-schema.ts'
import { scoreAssessment } from '../scoring/score.ts'
import { generateAnswers } from './content/answer-generator.ts'
import { questionnaireV1, scoringModelV1 } from './content/questionnaire.ts'
import type { AssessmentStatus, Database, Tier } from './schema.ts'

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Canonical JSON (sorted keys) so the checksum does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export async function seedContent(
  db: Kysely<Database>,
  now: string,
): Promise<{ questionnaireId: number; scoringModelId: number }> {
  const model = parseScoringModel(scoringModelV1)
  const qJson = canonical(questionnaireV1)
  const mJson = canonical(scoringModelV1)

  let questionnaire = await db
    .selectFrom('questionnaires')
    .select(['id', 'sha256'])
    .where('version', '=', model.questionnaireVersion)
    .executeTakeFirst()
  if (!questionnaire) {
    questionnaire = await db
      .insertInto('questionnaires')
      .values({
        version: model.questionnaireVersion,
        json: qJson,
        sha256: sha256(qJson),
        created_at: now,
      })
      .returning(['id', 'sha256'])
      .executeTakeFirstOrThrow()
  } else if (questionnaire.sha256 !== sha256(qJson)) {
    throw new Error(
      `questionnaire ${model.questionnaireVersion} in the database differs from the shipped file: release a new version instead of editing this one`,
    )
  }

  let scoring = await db
    .selectFrom('scoring_models')
    .select(['id', 'sha256'])
    .where('model_id', '=', model.id)
    .where('version', '=', model.version)
    .executeTakeFirst()
  if (!scoring) {
    scoring = await db
      .insertInto('scoring_models')
      .values({
        model_id: model.id,
        version: model.version,
        json: mJson,
        sha256: sha256(mJson),
        created_at: now,
      })
      .returning(['id', 'sha256'])
      .executeTakeFirstOrThrow()
  } else if (scoring.sha256 !== sha256(mJson)) {
    throw new Error(
      `scoring model ${model.id} ${model.version} in the database differs from the shipped file: release a new version instead of editing this one`,
    )
  }
  return { questionnaireId: questionnaire.id, scoringModelId: scoring.id }
}

/** Typical readiness by tier and EMR status, for plausible demo answers. */
function readinessFor(tier: Tier, emrStatus: string, roll: number): number {
  const base = tier === 'central' ? 0.75 : tier === 'provincial' ? 0.55 : 0.3
  const emr = emrStatus === 'live' ? 0.15 : emrStatus === 'in_progress' ? 0.05 : 0
  return Math.min(0.98, Math.max(0.05, base + emr + (roll - 50) / 180))
}

const FRESH_IN_CURRENT_ROUND = new Set(['38001', '40001'])

const DEMO_ROUNDS = [
  { name: 'Đợt 2025 (thí điểm)', opens: '2025-10-01', closes: '2025-12-15', share: 0.35 },
  { name: 'Đợt 2026', opens: '2026-09-01', closes: '2026-12-15', share: 1 },
]

/**
 * Demo rounds with assessments in every state. The 2026 round is current:
 * most facilities have started; the demo accounts' facilities are left in
 * the states the README describes.
 */
export async function seedDemoAssessments(
  db: Kysely<Database>,
  content: { questionnaireId: number; scoringModelId: number },
  now: string,
): Promise<number> {
  const model: ScoringModel = parseScoringModel(scoringModelV1)
  const rng = xoroshiro128plus(54)
  const facilities = await db
    .selectFrom('facilities')
    .select(['id', 'code', 'tier', 'emr_status'])
    .orderBy('id')
    .execute()
  const users = await db.selectFrom('users').select(['id', 'role', 'facility_id']).execute()
  const reviewer = users.find((u) => u.role === 'ministry_reviewer')
  let count = 0
  for (const [roundIndex, r] of DEMO_ROUNDS.entries()) {
    const round = await db
      .insertInto('rounds')
      .values({
        name: r.name,
        opens_on: r.opens,
        closes_on: r.closes,
        questionnaire_id: content.questionnaireId,
        scoring_model_id: content.scoringModelId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const current = roundIndex === DEMO_ROUNDS.length - 1
    for (const f of facilities) {
      const roll = uniformInt(rng, 0, 99)
      if (roll >= r.share * 100) continue
      // These demo directors' facilities start the current round with nothing entered.
      if (current && FRESH_IN_CURRENT_ROUND.has(f.code)) continue
      const statusRoll = uniformInt(rng, 0, 99)
      let status: AssessmentStatus = current
        ? statusRoll < 12
          ? 'draft'
          : statusRoll < 55
            ? 'submitted'
            : statusRoll < 62
              ? 'returned'
              : 'verified'
        : 'verified'
      if (current && f.code === '04004') status = 'returned'
      if (current && f.code === '01001') status = 'submitted'
      const readiness = readinessFor(
        f.tier,
        f.emr_status,
        uniformInt(rng, 0, 100) - (current ? 0 : 12),
      )
      const answers = generateAnswers(
        questionnaireV1,
        model,
        1000 * (roundIndex + 1) + f.id,
        {
          readiness,
          tier: f.tier,
          hasImaging: f.tier !== 'basic' || uniformInt(rng, 0, 1) === 1,
        },
        status === 'draft' ? 0.5 : 1,
      )
      const facilityUser = users.find((u) => u.facility_id === f.id)
      const actor = facilityUser?.id ?? reviewer?.id ?? null
      const submitted = status !== 'draft'
      const at = current ? now : `${r.closes}T08:00:00.000Z`
      const assessment = await db
        .insertInto('assessments')
        .values({
          facility_id: f.id,
          round_id: round.id,
          status,
          version: 1,
          answers: JSON.stringify(answers),
          current_page: 0,
          submission_id: submitted ? `demo-${round.id}-${f.id}` : null,
          submitted_at: submitted ? at : null,
          submitted_by: submitted ? actor : null,
          verified_at: status === 'verified' ? at : null,
          verified_by: status === 'verified' ? (reviewer?.id ?? null) : null,
          created_at: at,
          updated_at: at,
          updated_by: actor,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const score = scoreAssessment(model, answers)
      const bases =
        status === 'verified' ? (['declared', 'verified'] as const) : (['declared'] as const)
      for (const basis of bases) {
        await db
          .insertInto('scores')
          .values({
            assessment_id: assessment.id,
            scoring_model_id: content.scoringModelId,
            basis,
            composite_bp: score.compositeBp,
            level: score.level.id,
            completeness: score.completeness,
            result_json: JSON.stringify(score),
            computed_at: at,
          })
          .execute()
      }
      if (status === 'returned' && reviewer) {
        const question = model.items[uniformInt(rng, 0, model.items.length - 1)]?.id ?? null
        await db
          .insertInto('review_comments')
          .values({
            assessment_id: assessment.id,
            question,
            author_id: reviewer.id,
            body: 'Đề nghị bổ sung minh chứng (số hiệu, ngày văn bản) cho câu trả lời này.',
            created_at: at,
            resolved_at: null,
          })
          .execute()
      }
      count++
    }
  }
  return count
}

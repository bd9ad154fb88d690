/**
 * Shipped content (questionnaires and scoring models) and the demo round.
 * Content rows are immutable: a version is inserted once, and a changed file
 * under an existing version is refused (release a new version instead).
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { ScoringModel } from '../scoring/model-schema.ts'
import { scoreAssessment } from '../scoring/score.ts'
import { getRoundScoring } from '../app/models/round-scoring.server.ts'
import { generateAnswers } from './content/answer-generator.ts'
import { questionnaireV1, SCORING_MODELS } from './content/questionnaire.ts'
import { remedialCostsV1 } from './content/remedial-costs.ts'
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

/**
 * The checksum a content row is stored with: SHA-256 of the canonical JSON
 * of the parsed content. It must never change for a released version (a
 * test pins model 1.0.0's), or databases holding it would refuse to start.
 */
export function contentChecksum(value: unknown): string {
  return sha256(canonical(value))
}

/** The stored rows of the shipped content: the questionnaire and each scoring model's id by version. */
export interface SeededContent {
  questionnaireId: number
  scoringModelIds: ReadonlyMap<string, number>
  /** The shipped remedial-action cost table's row (0021). */
  costTableId: number
}

async function seedScoringModel(
  db: Kysely<Database>,
  model: ScoringModel,
  now: string,
): Promise<number> {
  const mJson = canonical(model)
  const existing = await db
    .selectFrom('scoring_models')
    .select(['id', 'sha256'])
    .where('model_id', '=', model.id)
    .where('version', '=', model.version)
    .executeTakeFirst()
  if (existing) {
    if (existing.sha256 !== sha256(mJson)) {
      throw new Error(
        `scoring model ${model.id} ${model.version} in the database differs from the shipped file: release a new version instead of editing this one`,
      )
    }
    return existing.id
  }
  const row = await db
    .insertInto('scoring_models')
    .values({
      model_id: model.id,
      version: model.version,
      json: mJson,
      sha256: sha256(mJson),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function seedContent(db: Kysely<Database>, now: string): Promise<SeededContent> {
  const qJson = canonical(questionnaireV1)
  const version = SCORING_MODELS[0]?.questionnaireVersion ?? '1.0.0'
  let questionnaire = await db
    .selectFrom('questionnaires')
    .select(['id', 'sha256'])
    .where('version', '=', version)
    .executeTakeFirst()
  if (!questionnaire) {
    questionnaire = await db
      .insertInto('questionnaires')
      .values({ version, json: qJson, sha256: sha256(qJson), created_at: now })
      .returning(['id', 'sha256'])
      .executeTakeFirstOrThrow()
  } else if (questionnaire.sha256 !== sha256(qJson)) {
    throw new Error(
      `questionnaire ${version} in the database differs from the shipped file: release a new version instead of editing this one`,
    )
  }
  const scoringModelIds = new Map<string, number>()
  // Oldest first, so ids follow release order (the methodology page shows the newest).
  for (const model of SCORING_MODELS) {
    scoringModelIds.set(model.version, await seedScoringModel(db, model, now))
  }
  const costTableId = await seedCostTable(db, now)
  return { questionnaireId: questionnaire.id, scoringModelIds, costTableId }
}

/** The shipped cost table, inserted once; a changed file under the same version is refused. */
async function seedCostTable(db: Kysely<Database>, now: string): Promise<number> {
  const json = canonical(remedialCostsV1)
  const existing = await db
    .selectFrom('remedial_cost_tables')
    .select(['id', 'sha256'])
    .where('version', '=', remedialCostsV1.version)
    .executeTakeFirst()
  if (existing) {
    if (existing.sha256 !== sha256(json)) {
      throw new Error(
        `cost table ${remedialCostsV1.version} in the database differs from the shipped file: release a new version instead of editing this one`,
      )
    }
    return existing.id
  }
  const row = await db
    .insertInto('remedial_cost_tables')
    .values({
      version: remedialCostsV1.version,
      json,
      sha256: sha256(json),
      created_by: null,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Typical readiness by tier and EMR status, for plausible demo answers. */
function readinessFor(tier: Tier, emrStatus: string, roll: number): number {
  const base = tier === 'central' ? 0.75 : tier === 'provincial' ? 0.55 : 0.3
  const emr = emrStatus === 'live' ? 0.15 : emrStatus === 'in_progress' ? 0.05 : 0
  return Math.min(0.98, Math.max(0.05, base + emr + (roll - 50) / 180))
}

const FRESH_IN_CURRENT_ROUND = new Set(['38001', '40001'])

/** Circular 13/2025's EMR deadlines: hospitals by 30/9/2025, other treatment facilities by 31/12/2026. */
const CIRCULAR_13_DEADLINES = { hospital: '2025-09-30', other: '2026-12-31' }

/**
 * The pilot round was scored with model 1.0.0 and stays so (its scores never
 * change); the 2026 round is scored with 1.1.0 (domain floors, levels on the
 * basis points shown, answer rules). Both rank against Circular 13/2025's
 * deadlines.
 */
const DEMO_ROUNDS = [
  {
    name: 'Đợt 2025 (thí điểm)',
    opens: '2025-10-01',
    closes: '2025-12-15',
    share: 0.35,
    modelVersion: '1.0.0',
  },
  // Closes on the legal deadline of other treatment facilities, the last day a
  // self-assessment can still steer this year's rollout.
  {
    name: 'Đợt 2026',
    opens: '2026-09-01',
    closes: CIRCULAR_13_DEADLINES.other,
    share: 1,
    modelVersion: '1.1.0',
  },
]

/**
 * Demo rounds with assessments in every state. The 2026 round is current:
 * most facilities have started; the demo accounts' facilities are left in
 * the states the README describes. Its answers agree with the demo registry
 * (beds, EMR stage, autonomy group, imaging) the way a truthful facility's
 * would; contradictions between answers still occur, as they do in real
 * self-assessments, and the data-quality rules mark them.
 */
export async function seedDemoAssessments(
  db: Kysely<Database>,
  content: SeededContent,
  now: string,
): Promise<number> {
  const rng = xoroshiro128plus(54)
  const facilities = await db
    .selectFrom('facilities')
    .select([
      'id',
      'code',
      'tier',
      'emr_status',
      'beds',
      'ownership',
      'autonomy_group',
      'has_imaging',
    ])
    .orderBy('id')
    .execute()
  const users = await db.selectFrom('users').select(['id', 'role', 'facility_id']).execute()
  const reviewer = users.find((u) => u.role === 'ministry_reviewer')
  let count = 0
  for (const [roundIndex, r] of DEMO_ROUNDS.entries()) {
    const model = SCORING_MODELS.find((m) => m.version === r.modelVersion)
    const scoringModelId = content.scoringModelIds.get(r.modelVersion)
    if (!model || scoringModelId === undefined) {
      throw new Error(`scoring model ${r.modelVersion} is not shipped`)
    }
    const round = await db
      .insertInto('rounds')
      .values({
        name: r.name,
        opens_on: r.opens,
        closes_on: r.closes,
        questionnaire_id: content.questionnaireId,
        scoring_model_id: scoringModelId,
        hospital_emr_deadline: CIRCULAR_13_DEADLINES.hospital,
        other_emr_deadline: CIRCULAR_13_DEADLINES.other,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // Scored as every round is scored: its model with its gate settings.
    const scoring = await getRoundScoring(db, round.id)
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
          // Imaging wherever the registry lists it; the draw for basic facilities stays
          // where it was, so the rest of the demo data does not shift.
          hasImaging: f.tier !== 'basic' || uniformInt(rng, 0, 1) === 1 || f.has_imaging === 1,
          ...(current
            ? {
                registry: {
                  beds: f.beds,
                  emrStatus: f.emr_status,
                  ownership: f.ownership,
                  autonomyGroup: f.autonomy_group,
                },
              }
            : {}),
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
      const score = scoreAssessment(scoring.model, answers, { gateEnabled: scoring.gateEnabled })
      const bases =
        status === 'verified' ? (['declared', 'verified'] as const) : (['declared'] as const)
      for (const basis of bases) {
        await db
          .insertInto('scores')
          .values({
            assessment_id: assessment.id,
            scoring_model_id: scoringModelId,
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

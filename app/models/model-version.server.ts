/**
 * Questionnaire and scoring-model versions (immutable rows, migration 0014):
 * the lists the administrator sees, the inserts of an upload, and the score
 * rows a re-score writes under another model. Content is decoded by
 * content.server.ts (cached per id); these read only the columns they name.
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { decodeAnswers } from './stored-json.server.ts'
import { joinedText } from './sql-dialect.server.ts'

/** Every questionnaire version, newest first, with how many rounds use it. */
export async function listQuestionnaireVersions(db: Kysely<Database>) {
  return db
    .selectFrom('questionnaires')
    .select((eb) => [
      'questionnaires.id',
      'questionnaires.version',
      'questionnaires.sha256',
      'questionnaires.created_at',
      eb
        .selectFrom('rounds')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('rounds.questionnaire_id', '=', 'questionnaires.id')
        .as('rounds'),
    ])
    .orderBy('questionnaires.id', 'desc')
    .execute()
}

/** Every scoring-model version, newest first, with the rounds that use it (names). */
export async function listScoringModelVersions(db: Kysely<Database>) {
  return db
    .selectFrom('scoring_models')
    .select((eb) => [
      'scoring_models.id',
      'scoring_models.model_id',
      'scoring_models.version',
      'scoring_models.sha256',
      'scoring_models.created_at',
      eb
        .selectFrom('rounds')
        .select(joinedText(db, sql.ref('rounds.name'), ' · ').as('names'))
        .whereRef('rounds.scoring_model_id', '=', 'scoring_models.id')
        .as('rounds'),
    ])
    .orderBy('scoring_models.id', 'desc')
    .execute()
}

export async function findQuestionnaireByVersion(db: Kysely<Database>, version: string) {
  return db
    .selectFrom('questionnaires')
    .select(['id', 'sha256'])
    .where('version', '=', version)
    .executeTakeFirst()
}

export async function findScoringModelByVersion(
  db: Kysely<Database>,
  modelId: string,
  version: string,
) {
  return db
    .selectFrom('scoring_models')
    .select(['id', 'sha256'])
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .executeTakeFirst()
}

export async function insertQuestionnaire(
  db: Kysely<Database>,
  input: { version: string; json: string; sha256: string; now: string },
): Promise<number> {
  const row = await db
    .insertInto('questionnaires')
    .values({
      version: input.version,
      json: input.json,
      sha256: input.sha256,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertScoringModel(
  db: Kysely<Database>,
  input: { modelId: string; version: string; json: string; sha256: string; now: string },
): Promise<number> {
  const row = await db
    .insertInto('scoring_models')
    .values({
      model_id: input.modelId,
      version: input.version,
      json: input.json,
      sha256: input.sha256,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * The declared answers of a round's assessments in the given states, decoded,
 * for facilities that are open (a closed one is never ranked).
 */
export async function listRoundAnswers(
  db: Kysely<Database>,
  input: {
    roundId: number
    statuses?: ReadonlyArray<'draft' | 'submitted' | 'returned' | 'verified'>
  },
) {
  let query = db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .select([
      'assessments.id',
      'assessments.facility_id',
      'assessments.status',
      'assessments.answers',
    ])
    .where('assessments.round_id', '=', input.roundId)
  if (input.statuses) query = query.where('assessments.status', 'in', [...input.statuses])
  const rows = await query.orderBy('assessments.id').execute()
  return rows.map(({ answers, ...r }) => ({ ...r, answers: decodeAnswers(answers) }))
}

/** Which bases the round's own model has stored for each of the round's assessments. */
export async function listRoundScoreBases(
  db: Kysely<Database>,
  input: { roundId: number; scoringModelId: number },
) {
  return db
    .selectFrom('scores')
    .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
    .select(['scores.assessment_id', 'scores.basis'])
    .where('assessments.round_id', '=', input.roundId)
    .where('scores.scoring_model_id', '=', input.scoringModelId)
    .execute()
}

/** How many score rows of a round's assessments a model has (0: never re-scored under it). */
export async function countRoundScores(
  db: Kysely<Database>,
  input: { roundId: number; scoringModelId: number },
): Promise<number> {
  const row = await db
    .selectFrom('scores')
    .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assessments.round_id', '=', input.roundId)
    .where('scores.scoring_model_id', '=', input.scoringModelId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** New score rows, never an update: a re-score adds history and rewrites nothing. */
export async function insertScores(
  db: Kysely<Database>,
  rows: ReadonlyArray<{
    assessmentId: number
    scoringModelId: number
    basis: 'declared' | 'verified'
    compositeBp: number
    level: string
    completeness: number
    resultJson: string
    now: string
  }>,
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('scores')
    .values(
      rows.map((r) => ({
        assessment_id: r.assessmentId,
        scoring_model_id: r.scoringModelId,
        basis: r.basis,
        composite_bp: r.compositeBp,
        level: r.level,
        completeness: r.completeness,
        result_json: r.resultJson,
        computed_at: r.now,
      })),
    )
    .execute()
}

export async function scoringModelExists(db: Kysely<Database>, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('scoring_models')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst()
  return row !== undefined
}

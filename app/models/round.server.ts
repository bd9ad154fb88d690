/** Assessment rounds. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { decodeGateSettings, type GateSettings } from './stored-json.server.ts'

const ROUND_COLUMNS = [
  'id',
  'name',
  'opens_on',
  'closes_on',
  'questionnaire_id',
  'scoring_model_id',
] as const

/**
 * The "current" round for everyone: the latest round that has opened by
 * `today` (YYYY-MM-DD). A round announced for later is not current until
 * its opening day (`getNextRound` shows it); a closed round stays current
 * until a later one opens, so directors still see their result and reviewers
 * still review it.
 */
export async function getCurrentRound(db: Kysely<Database>, today: string) {
  return db
    .selectFrom('rounds')
    .select(ROUND_COLUMNS)
    .where('opens_on', '<=', today)
    .orderBy('opens_on', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

/** The first round that opens after `today`: announced, not yet open. */
export async function getNextRound(db: Kysely<Database>, today: string) {
  return db
    .selectFrom('rounds')
    .select(ROUND_COLUMNS)
    .where('opens_on', '>', today)
    .orderBy('opens_on', 'asc')
    .orderBy('id', 'asc')
    .executeTakeFirst()
}

export async function getRound(db: Kysely<Database>, id: number) {
  return db.selectFrom('rounds').select(ROUND_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function listRounds(db: Kysely<Database>) {
  return db.selectFrom('rounds').select(ROUND_COLUMNS).orderBy('opens_on', 'desc').execute()
}

/** A round as the rounds page edits it: with its gate settings and edit version. */
export async function getRoundForEdit(db: Kysely<Database>, id: number) {
  const row = await db
    .selectFrom('rounds')
    .select([...ROUND_COLUMNS, 'gate_settings', 'version'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row && { ...row, gate_settings: decodeGateSettings(row.gate_settings) }
}

/** The rounds page's list: each round with its versions' names and how many assessments it holds. */
export async function listRoundsForAdmin(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('rounds')
    .innerJoin('questionnaires', 'questionnaires.id', 'rounds.questionnaire_id')
    .innerJoin('scoring_models', 'scoring_models.id', 'rounds.scoring_model_id')
    .select((eb) => [
      'rounds.id',
      'rounds.name',
      'rounds.opens_on',
      'rounds.closes_on',
      'rounds.gate_settings',
      'questionnaires.version as questionnaire_version',
      'scoring_models.version as model_version',
      eb
        .selectFrom('assessments')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('assessments.round_id', '=', 'rounds.id')
        .where('assessments.status', '!=', 'draft')
        .as('submitted'),
    ])
    .orderBy('rounds.opens_on', 'desc')
    .orderBy('rounds.id', 'desc')
    .execute()
  return rows.map((r) => ({
    ...r,
    gate_settings: decodeGateSettings(r.gate_settings),
    submitted: Number(r.submitted ?? 0),
  }))
}

/**
 * Whether any assessment of the round was ever submitted (submitted,
 * returned or verified: a returned one was submitted once and scored under
 * the round's model): from then on its questionnaire, model and gates stay.
 */
export async function roundHasSubmissions(db: Kysely<Database>, roundId: number) {
  const row = await db
    .selectFrom('assessments')
    .select('id')
    .where('round_id', '=', roundId)
    .where((eb) => eb.or([eb('status', '!=', 'draft'), eb('submitted_at', 'is not', null)]))
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export type { GateSettings }

export interface RoundFields {
  name: string
  opensOn: string
  closesOn: string
  questionnaireId: number
  scoringModelId: number
  gateSettings: GateSettings
}

export async function insertRound(db: Kysely<Database>, fields: RoundFields, now: string) {
  const row = await db
    .insertInto('rounds')
    .values({
      name: fields.name,
      opens_on: fields.opensOn,
      closes_on: fields.closesOn,
      questionnaire_id: fields.questionnaireId,
      scoring_model_id: fields.scoringModelId,
      gate_settings: JSON.stringify(fields.gateSettings),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** `WHERE version = ?`: false when someone else edited the round first. */
export async function updateRound(
  db: Kysely<Database>,
  id: number,
  expectedVersion: number,
  fields: RoundFields,
) {
  const result = await db
    .updateTable('rounds')
    .set((eb) => ({
      name: fields.name,
      opens_on: fields.opensOn,
      closes_on: fields.closesOn,
      questionnaire_id: fields.questionnaireId,
      scoring_model_id: fields.scoringModelId,
      gate_settings: JSON.stringify(fields.gateSettings),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Whether another round already has this name (names are unique). */
export async function roundNameTaken(db: Kysely<Database>, name: string, exceptId: number | null) {
  let query = db.selectFrom('rounds').select('id').where('name', '=', name)
  if (exceptId !== null) query = query.where('id', '!=', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

/** The versions a round may use, newest first. */
export async function listContentVersions(db: Kysely<Database>) {
  const [questionnaires, models] = await Promise.all([
    db.selectFrom('questionnaires').select(['id', 'version']).orderBy('id', 'desc').execute(),
    db
      .selectFrom('scoring_models')
      .select(['id', 'model_id', 'version'])
      .orderBy('id', 'desc')
      .execute(),
  ])
  return { questionnaires, models }
}

/**
 * Questionnaires and scoring models are versioned and immutable once stored,
 * so each is parsed once per process and cached by id.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { parseScoringModel, type ScoringModel } from '../../scoring/model-schema.ts'
import { decodeQuestionnaireJson } from './stored-json.server.ts'

const questionnaires = new Map<number, { version: string; json: Record<string, unknown> }>()
const models = new Map<number, ScoringModel>()

export async function getQuestionnaire(db: Kysely<Database>, id: number) {
  const cached = questionnaires.get(id)
  if (cached) return cached
  const row = await db
    .selectFrom('questionnaires')
    .select(['version', 'json'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  const entry = { version: row.version, json: decodeQuestionnaireJson(row.json) }
  questionnaires.set(id, entry)
  return entry
}

export async function getScoringModel(db: Kysely<Database>, id: number): Promise<ScoringModel> {
  const cached = models.get(id)
  if (cached) return cached
  const row = await db
    .selectFrom('scoring_models')
    .select(['json'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  const model = parseScoringModel(JSON.parse(row.json))
  models.set(id, model)
  return model
}

export async function getLatestScoringModelRow(db: Kysely<Database>) {
  return db
    .selectFrom('scoring_models')
    .select(['id', 'model_id', 'version'])
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

export async function getQuestionnaireIdByVersion(db: Kysely<Database>, version: string) {
  const row = await db
    .selectFrom('questionnaires')
    .select('id')
    .where('version', '=', version)
    .executeTakeFirst()
  return row?.id ?? null
}

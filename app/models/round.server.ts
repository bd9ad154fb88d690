/** Assessment rounds. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

/** The latest round that has opened by `today` (YYYY-MM-DD). */
export async function getCurrentRound(db: Kysely<Database>, today: string) {
  return db
    .selectFrom('rounds')
    .select(['id', 'name', 'opens_on', 'closes_on', 'questionnaire_id', 'scoring_model_id'])
    .where('opens_on', '<=', today)
    .orderBy('opens_on', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

export async function getRound(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('rounds')
    .select(['id', 'name', 'opens_on', 'closes_on', 'questionnaire_id', 'scoring_model_id'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function listRounds(db: Kysely<Database>) {
  return db
    .selectFrom('rounds')
    .select(['id', 'name', 'opens_on', 'closes_on', 'questionnaire_id', 'scoring_model_id'])
    .orderBy('opens_on', 'desc')
    .execute()
}

/** Saved ranking runs: the parameters, the input hash, the seed and the full stored result. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

export async function insertRankingRun(
  db: Kysely<Database>,
  input: {
    name: string
    roundId: number
    scoringModelId: number
    paramsJson: string
    inputHash: string
    seed: number
    resultJson: string
    createdBy: number
    createdAt: string
  },
): Promise<number> {
  const row = await db
    .insertInto('ranking_runs')
    .values({
      name: input.name,
      round_id: input.roundId,
      scoring_model_id: input.scoringModelId,
      params_json: input.paramsJson,
      input_hash: input.inputHash,
      seed: input.seed,
      result_json: input.resultJson,
      created_by: input.createdBy,
      created_at: input.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A run with its author and round, as the list and the page both show it. */
function runsWithNames(db: Kysely<Database>) {
  return db
    .selectFrom('ranking_runs')
    .innerJoin('users', 'users.id', 'ranking_runs.created_by')
    .innerJoin('rounds', 'rounds.id', 'ranking_runs.round_id')
    .select([
      'ranking_runs.id',
      'ranking_runs.name',
      'rounds.name as round_name',
      'ranking_runs.params_json',
      'ranking_runs.input_hash',
      'ranking_runs.seed',
      'users.display_name as created_by_name',
      'ranking_runs.created_at',
    ])
}

export async function getRankingRun(db: Kysely<Database>, id: number) {
  return runsWithNames(db)
    .select([
      'ranking_runs.round_id',
      'ranking_runs.scoring_model_id',
      'ranking_runs.result_json',
      'ranking_runs.created_by',
    ])
    .where('ranking_runs.id', '=', id)
    .executeTakeFirst()
}

/** Newest first, without the stored result (it can be megabytes). */
export async function listRankingRuns(db: Kysely<Database>, limit: number) {
  return runsWithNames(db)
    .orderBy('ranking_runs.created_at', 'desc')
    .orderBy('ranking_runs.id', 'desc')
    .limit(limit)
    .execute()
}

/**
 * The national roadmap's queries (migration 0021): the remedial-action cost
 * table the uplift reads, the full stored scores of the facilities below the
 * minimum level (the planner keeps only slim ones), and saved scenarios.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { parseRemedialCostTable, type RemedialCostTable } from '../../scoring/uplift.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { decodeScore } from './score.server.ts'

type CostTableRow = { id: number; version: string; table: RemedialCostTable }

/** A stored cost table row, its JSON decoded once here. */
function decodeCostTable(row: { id: number; version: string; json: string }): CostTableRow {
  return { id: row.id, version: row.version, table: parseRemedialCostTable(JSON.parse(row.json)) }
}

/** The newest cost table version (the highest id), decoded; null before any is stored. */
export async function getLatestCostTable(db: Kysely<Database>): Promise<CostTableRow | null> {
  const row = await db
    .selectFrom('remedial_cost_tables')
    .select(['id', 'version', 'json'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? decodeCostTable(row) : null
}

/** One cost table version, decoded (a saved scenario set names the one it used). */
export async function getCostTable(db: Kysely<Database>, id: number): Promise<CostTableRow | null> {
  const row = await db
    .selectFrom('remedial_cost_tables')
    .select(['id', 'version', 'json'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? decodeCostTable(row) : null
}

/**
 * Every cost table version, newest first, with who stored it (null for the
 * shipped table) and how many actions it holds (its JSON decoded here).
 */
export async function listCostTableVersions(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('remedial_cost_tables')
    .leftJoin('users', 'users.id', 'remedial_cost_tables.created_by')
    .select([
      'remedial_cost_tables.id',
      'remedial_cost_tables.version',
      'remedial_cost_tables.json',
      'remedial_cost_tables.created_at',
      'users.display_name as created_by_name',
    ])
    .orderBy('remedial_cost_tables.id', 'desc')
    .execute()
  return rows.map((row) => {
    const { table } = decodeCostTable(row)
    return {
      id: row.id,
      version: row.version,
      createdAt: row.created_at,
      createdBy: row.created_by_name,
      actions: table.actions.length,
    }
  })
}

/** One version with its provenance, decoded; null when there is no such id. */
export async function getCostTableDetail(db: Kysely<Database>, id: number) {
  const row = await db
    .selectFrom('remedial_cost_tables')
    .leftJoin('users', 'users.id', 'remedial_cost_tables.created_by')
    .select([
      'remedial_cost_tables.id',
      'remedial_cost_tables.version',
      'remedial_cost_tables.json',
      'remedial_cost_tables.sha256',
      'remedial_cost_tables.created_at',
      'users.display_name as created_by_name',
    ])
    .where('remedial_cost_tables.id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  return {
    ...decodeCostTable(row),
    sha256: row.sha256,
    createdAt: row.created_at,
    createdBy: row.created_by_name,
  }
}

/** Is this version label already stored? (Labels are unique: migration 0021.) */
export async function costTableVersionTaken(
  db: Kysely<Database>,
  version: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('remedial_cost_tables')
    .select('id')
    .where('version', '=', version)
    .executeTakeFirst()
  return row !== undefined
}

/** Stores a new version (never updated afterwards: a trigger refuses it); returns its id. */
export async function insertCostTable(
  db: Kysely<Database>,
  row: { version: string; json: string; sha256: string; createdBy: number; createdAt: string },
): Promise<number> {
  const inserted = await db
    .insertInto('remedial_cost_tables')
    .values({
      version: row.version,
      json: row.json,
      sha256: row.sha256,
      created_by: row.createdBy,
      created_at: row.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return inserted.id
}

const CHUNK = 500

/**
 * The whole stored engine result of the given facilities' assessments in a
 * round, under one model and basis, by facility id. The uplift reads every
 * item, which the planner's slim scores leave out.
 */
export async function listFullScores(
  db: Kysely<Database>,
  input: {
    roundId: number
    scoringModelId: number
    basis: 'declared' | 'verified'
    facilityIds: readonly number[]
  },
): Promise<Map<number, AssessmentScore>> {
  const out = new Map<number, AssessmentScore>()
  for (let i = 0; i < input.facilityIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('scores')
      .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
      .select(['assessments.facility_id', 'scores.result_json'])
      .where('assessments.round_id', '=', input.roundId)
      .where('scores.scoring_model_id', '=', input.scoringModelId)
      .where('scores.basis', '=', input.basis)
      .where('assessments.facility_id', 'in', input.facilityIds.slice(i, i + CHUNK))
      .execute()
    for (const r of rows) out.set(r.facility_id, decodeScore(r.result_json))
  }
  return out
}

export async function insertRoadmapScenario(
  db: Kysely<Database>,
  input: {
    name: string
    roundId: number
    scoringModelId: number
    costTableId: number
    paramsJson: string
    inputHash: string
    resultJson: string
    createdBy: number
    createdAt: string
  },
): Promise<number> {
  const row = await db
    .insertInto('roadmap_scenarios')
    .values({
      name: input.name,
      round_id: input.roundId,
      scoring_model_id: input.scoringModelId,
      cost_table_id: input.costTableId,
      params_json: input.paramsJson,
      input_hash: input.inputHash,
      result_json: input.resultJson,
      created_by: input.createdBy,
      created_at: input.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

// The scope a set was built in, as saveScenarioSet stores it in params_json.
const StoredScopeSchema = z.object({
  scope: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('all') }),
    z.object({ kind: z.literal('province'), provinceCode: z.string() }),
    z.object({ kind: z.literal('facility'), facilityId: z.number() }),
  ]),
})

/** Saved scenario sets, newest first, with their round, author and scope (no result: the list is light). */
export async function listRoadmapScenarios(db: Kysely<Database>, limit: number) {
  const rows = await db
    .selectFrom('roadmap_scenarios')
    .innerJoin('rounds', 'rounds.id', 'roadmap_scenarios.round_id')
    .innerJoin('users', 'users.id', 'roadmap_scenarios.created_by')
    .select([
      'roadmap_scenarios.id',
      'roadmap_scenarios.name',
      'roadmap_scenarios.created_at',
      'roadmap_scenarios.input_hash',
      'roadmap_scenarios.params_json',
      'rounds.name as round_name',
      'users.display_name as created_by_name',
    ])
    .orderBy('roadmap_scenarios.created_at', 'desc')
    .orderBy('roadmap_scenarios.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(({ params_json, ...row }) => ({
    ...row,
    scope: StoredScopeSchema.parse(JSON.parse(params_json)).scope satisfies FacilityFilter,
  }))
}

/** One saved scenario set with its stored parameters and result (JSON text, decoded by its module). */
export async function getRoadmapScenario(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('roadmap_scenarios')
    .innerJoin('rounds', 'rounds.id', 'roadmap_scenarios.round_id')
    .innerJoin('remedial_cost_tables', 'remedial_cost_tables.id', 'roadmap_scenarios.cost_table_id')
    .select([
      'roadmap_scenarios.id',
      'roadmap_scenarios.name',
      'roadmap_scenarios.round_id',
      'roadmap_scenarios.params_json',
      'roadmap_scenarios.input_hash',
      'roadmap_scenarios.result_json',
      'roadmap_scenarios.created_by',
      'roadmap_scenarios.created_at',
      'rounds.name as round_name',
      'remedial_cost_tables.version as cost_table_version',
    ])
    .where('roadmap_scenarios.id', '=', id)
    .executeTakeFirst()
}

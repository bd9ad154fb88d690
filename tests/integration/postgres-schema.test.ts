/**
 * The PostgreSQL migrations (db/migrations/postgres) build the schema the
 * SQLite ones do: the same tables and columns (names, nullability, type
 * family), indexes and triggers; every guard refuses what its SQLite twin
 * refuses, with the same message; the change counters and score_domains
 * follow a write the same way; migrating down reaches an empty database; and
 * `prepare --demo` (db/cli.ts) seeds PostgreSQL, leaving an audit chain that
 * verifies and identity sequences past every id.
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Migrator, sql, type Kysely, type Migration } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, openPostgres } from '../../db/client.ts'
import { migrateDown, migrateToLatest } from '../../db/migrate.ts'
import { migrations } from '../../db/migrations/index.ts'
import { postgresMigrations } from '../../db/migrations/postgres/index.ts'
import type { Database } from '../../db/schema.ts'
import { seedAll } from '../../db/seed-all.ts'
import { getApiTokenByHash, insertApiToken } from '../../app/models/api-token.server.ts'
import { writeAudit } from '../../app/models/audit.server.ts'
import { getRoundForEdit, insertRound } from '../../app/models/round.server.ts'
import { getScore, upsertScore } from '../../app/models/score.server.ts'
import { hashPassword } from '../../app/utils/password.server.ts'
import { databaseUrl, startPostgres, type PostgresServer } from '../support/postgres-server.ts'
import { copyTemplateDatabase, TMP_DIR } from '../support/test-db.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href

type Db = Kysely<Database>

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  return databaseUrl(serverUrl, name)
}

/** db/cli.ts as the start scripts run it, against `url`. */
function cli(url: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url }
  for (const k of ['SEED_DEMO', 'NODE_ENV']) delete env[k]
  const result = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'db/cli.ts'), ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 170_000,
  })
  return { status: result.status, out: `${result.stdout}${result.stderr}` }
}

/** What each database type is to the app: SQLite's storage classes. */
const TYPE_FAMILY: Record<string, string> = {
  INTEGER: 'integer',
  TEXT: 'text',
  REAL: 'real',
  BLOB: 'blob',
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  text: 'text',
  json: 'text',
  jsonb: 'text',
  float8: 'real',
  bytea: 'blob',
}

/** Every column as `table.column family null|not null`, sorted. */
async function columnsOf(db: Db, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const lines: string[] = []
  for (const table of await db.introspection.getTables()) {
    // SQLite reports PRIMARY KEY columns as nullable; its STRICT tables refuse NULL in them.
    const keys =
      dialect === 'sqlite'
        ? (
            await sql<{
              name: string
            }>`SELECT name FROM pragma_table_info(${table.name}) WHERE pk > 0`.execute(db)
          ).rows.map((r) => r.name)
        : []
    for (const column of table.columns) {
      const family = TYPE_FAMILY[column.dataType] ?? `unmapped ${column.dataType}`
      const nullable = column.isNullable && !keys.includes(column.name)
      lines.push(`${table.name}.${column.name} ${family} ${nullable ? 'null' : 'not null'}`)
    }
  }
  return lines.sort()
}

async function indexesOf(db: Db, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT tbl_name || '.' || name AS name FROM sqlite_master
          WHERE type = 'index' AND sql IS NOT NULL`.execute(db)
      : // Indexes made by PRIMARY KEY and UNIQUE constraints are SQLite's autoindexes.
        await sql<{ name: string }>`SELECT t.relname || '.' || i.relname AS name
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public' AND NOT starts_with(t.relname, 'kysely_')
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`.execute(
          db,
        )
  return rows.map((r) => r.name).sort()
}

async function triggersOf(db: Db, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT tbl_name || '.' || name AS name FROM sqlite_master
          WHERE type = 'trigger'`.execute(db)
      : await sql<{ name: string }>`SELECT c.relname || '.' || t.tgname AS name
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE NOT t.tgisinternal`.execute(db)
  return rows.map((r) => r.name).sort()
}

/** Rows of the seeded database the writes below aim at, looked up, not assumed. */
interface SeededRows {
  userId: number
  facilityId: number
  provinceCode: string
  roundId: number
  questionnaireId: number
  scoringModelId: number
  /** A submitted assessment with a declared score, and a draft. */
  submittedId: number
  draftId: number
  auditId: number
}

/** The seeded rows and the rows the guard cases write against. */
interface Fixture extends SeededRows {
  changeId: number
  extensionId: number
  runId: number
  freeRunId: number
  waveId: number
  milestoneId: number
  costTableId: number
  scenarioId: number
}

const AT = '2026-11-02T08:00:00.000Z'
const HEX = (digit: string) => digit.repeat(64)

async function seededRowsOf(db: Db): Promise<SeededRows> {
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const facility = await db
    .selectFrom('facilities')
    .select(['id', 'province_code'])
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const round = await db
    .selectFrom('rounds')
    .select(['id', 'questionnaire_id', 'scoring_model_id'])
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const submitted = await db
    .selectFrom('assessments')
    .select('id')
    .where('status', '=', 'submitted')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('scores')
          .select('scores.id')
          .whereRef('scores.assessment_id', '=', 'assessments.id')
          .where('scores.basis', '=', 'declared'),
      ),
    )
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const draft = await db
    .selectFrom('assessments')
    .select('id')
    .where('status', '=', 'draft')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const audit = await db
    .selectFrom('audit_log')
    .select('id')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  return {
    userId: user.id,
    facilityId: facility.id,
    provinceCode: facility.province_code,
    roundId: round.id,
    questionnaireId: round.questionnaire_id,
    scoringModelId: round.scoring_model_id,
    submittedId: submitted.id,
    draftId: draft.id,
    auditId: audit.id,
  }
}

async function fixtureOf(db: Db, seeded: SeededRows): Promise<Fixture> {
  const user = { id: seeded.userId }
  const facility = { id: seeded.facilityId }
  const round = { id: seeded.roundId, scoring_model_id: seeded.scoringModelId }
  const change = await db
    .insertInto('facility_changes')
    .values({ facility_id: facility.id, kind: 'created', changed_at: AT })
    .returning('id')
    .executeTakeFirstOrThrow()
  const extension = await db
    .insertInto('round_extensions')
    .values({
      round_id: round.id,
      facility_id: facility.id,
      closes_on: '2027-01-31',
      reason: 'flood',
      granted_by: user.id,
      granted_at: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const run = () =>
    db
      .insertInto('ranking_runs')
      .values({
        name: 'run',
        round_id: round.id,
        scoring_model_id: round.scoring_model_id,
        params_json: '{}',
        input_hash: HEX('a'),
        seed: 7,
        result_json: '{}',
        created_by: user.id,
        created_at: AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  const adopted = await run()
  const free = await run()
  const wave = await db
    .insertInto('waves')
    .values({
      run_id: adopted.id,
      name: 'Wave 1',
      target_go_live: '2027-06-30',
      // Past 2^31: a national budget in VND.
      budget_vnd: 12_000_000_000,
      adopted_by: user.id,
      adopted_at: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('wave_members')
    .values({ wave_id: wave.id, facility_id: facility.id, cost_vnd: 3_000_000_000 })
    .execute()
  const milestone = await db
    .insertInto('milestones')
    .values({
      facility_id: facility.id,
      kind: 'plan_approved',
      occurred_on: '2026-10-01',
      note: 'approved',
      status: 'proposed',
      proposed_by: user.id,
      proposed_at: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const costTable = await db
    .insertInto('remedial_cost_tables')
    .values({ version: 'test-1', json: '{"actions":[]}', sha256: HEX('b'), created_at: AT })
    .returning('id')
    .executeTakeFirstOrThrow()
  const scenario = await db
    .insertInto('roadmap_scenarios')
    .values({
      name: 'scenario',
      round_id: round.id,
      scoring_model_id: round.scoring_model_id,
      cost_table_id: costTable.id,
      params_json: '{}',
      input_hash: HEX('c'),
      result_json: '{}',
      created_by: user.id,
      created_at: AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return {
    ...seeded,
    changeId: change.id,
    extensionId: extension.id,
    runId: adopted.id,
    freeRunId: free.id,
    waveId: wave.id,
    milestoneId: milestone.id,
    costTableId: costTable.id,
    scenarioId: scenario.id,
  }
}

interface GuardCase {
  name: string
  attempt: (db: Db, f: Fixture) => Promise<unknown>
  /** The trigger's message; null: the write is allowed; 'check': a CHECK refuses it (messages differ). */
  refusal: string | null
}

/** In order: the allowed writes come after the refusals they would change. */
const GUARD_CASES: GuardCase[] = [
  {
    name: 'audit_log update',
    attempt: (db, f) =>
      db.updateTable('audit_log').set({ action: 'x' }).where('id', '=', f.auditId).execute(),
    refusal: 'audit_log is append-only',
  },
  {
    name: 'audit_log delete',
    attempt: (db, f) => db.deleteFrom('audit_log').where('id', '=', f.auditId).execute(),
    refusal: 'audit_log is append-only',
  },
  {
    name: 'facility_changes update',
    attempt: (db, f) =>
      db
        .updateTable('facility_changes')
        .set({ changed_at: AT })
        .where('id', '=', f.changeId)
        .execute(),
    refusal: 'facility_changes is append-only',
  },
  {
    name: 'facility_changes delete',
    attempt: (db, f) => db.deleteFrom('facility_changes').where('id', '=', f.changeId).execute(),
    refusal: 'facility_changes is append-only',
  },
  {
    name: 'round_extensions delete',
    attempt: (db, f) => db.deleteFrom('round_extensions').where('id', '=', f.extensionId).execute(),
    refusal: 'round_extensions are kept: end them instead',
  },
  {
    name: 'round_extensions rewrite of the grant',
    attempt: (db, f) =>
      db
        .updateTable('round_extensions')
        .set({ reason: 'other' })
        .where('id', '=', f.extensionId)
        .execute(),
    refusal: 'round_extensions: only the end of a row in force may be written',
  },
  {
    name: 'round_extensions end',
    attempt: (db, f) =>
      db
        .updateTable('round_extensions')
        .set({ ended_at: AT, ended_by: f.userId, ended_how: 'withdrawn' })
        .where('id', '=', f.extensionId)
        .execute(),
    refusal: null,
  },
  {
    name: 'round_extensions write after the end',
    attempt: (db, f) =>
      db
        .updateTable('round_extensions')
        .set({ ended_how: 'changed' })
        .where('id', '=', f.extensionId)
        .execute(),
    refusal: 'round_extensions: only the end of a row in force may be written',
  },
  {
    name: 'questionnaires update',
    attempt: (db, f) =>
      db
        .updateTable('questionnaires')
        .set({ created_at: AT })
        .where('id', '=', f.questionnaireId)
        .execute(),
    refusal: 'questionnaire versions are immutable: upload a new version',
  },
  {
    name: 'questionnaires delete in use',
    attempt: (db, f) =>
      db.deleteFrom('questionnaires').where('id', '=', f.questionnaireId).execute(),
    refusal: 'questionnaire version is used by a round',
  },
  {
    name: 'questionnaires bad hash',
    attempt: (db) =>
      db
        .insertInto('questionnaires')
        .values({ version: 'bad', json: '{}', sha256: 'A'.repeat(64), created_at: AT })
        .execute(),
    refusal: 'questionnaire sha256 must be 64 lowercase hex digits',
  },
  {
    name: 'questionnaires bad JSON',
    attempt: (db) =>
      db
        .insertInto('questionnaires')
        .values({ version: 'bad-json', json: '{', sha256: HEX('d'), created_at: AT })
        .execute(),
    refusal: 'check',
  },
  {
    name: 'questionnaires unused: insert and delete',
    attempt: async (db) => {
      await db
        .insertInto('questionnaires')
        .values({ version: 'unused', json: '{}', sha256: HEX('e'), created_at: AT })
        .execute()
      await db.deleteFrom('questionnaires').where('version', '=', 'unused').execute()
    },
    refusal: null,
  },
  {
    name: 'scoring_models update',
    attempt: (db, f) =>
      db
        .updateTable('scoring_models')
        .set({ created_at: AT })
        .where('id', '=', f.scoringModelId)
        .execute(),
    refusal: 'scoring model versions are immutable: upload a new version',
  },
  {
    name: 'scoring_models delete in use',
    attempt: (db, f) =>
      db.deleteFrom('scoring_models').where('id', '=', f.scoringModelId).execute(),
    refusal: 'scoring model version is used by a round or has scores',
  },
  {
    name: 'scoring_models bad hash',
    attempt: (db) =>
      db
        .insertInto('scoring_models')
        .values({ model_id: 'x', version: '9', json: '{}', sha256: 'g'.repeat(64), created_at: AT })
        .execute(),
    refusal: 'scoring model sha256 must be 64 lowercase hex digits',
  },
  {
    name: 'ranking_runs adopted update',
    attempt: (db, f) =>
      db.updateTable('ranking_runs').set({ name: 'x' }).where('id', '=', f.runId).execute(),
    refusal: 'ranking_runs: an adopted run is immutable',
  },
  {
    name: 'ranking_runs adopted delete',
    attempt: (db, f) => db.deleteFrom('ranking_runs').where('id', '=', f.runId).execute(),
    refusal: 'ranking_runs: an adopted run is immutable',
  },
  {
    name: 'ranking_runs not adopted: update and delete',
    attempt: async (db, f) => {
      await db
        .updateTable('ranking_runs')
        .set({ name: 'x' })
        .where('id', '=', f.freeRunId)
        .execute()
      await db.deleteFrom('ranking_runs').where('id', '=', f.freeRunId).execute()
    },
    refusal: null,
  },
  {
    name: 'waves update',
    attempt: (db, f) =>
      db.updateTable('waves').set({ name: 'x' }).where('id', '=', f.waveId).execute(),
    refusal: 'waves are kept as adopted',
  },
  {
    name: 'waves delete',
    attempt: (db, f) => db.deleteFrom('waves').where('id', '=', f.waveId).execute(),
    refusal: 'waves are kept as adopted',
  },
  {
    name: 'wave_members update',
    attempt: (db, f) =>
      db.updateTable('wave_members').set({ cost_vnd: 1 }).where('wave_id', '=', f.waveId).execute(),
    refusal: 'wave_members are kept as adopted',
  },
  {
    name: 'wave_members delete',
    attempt: (db, f) => db.deleteFrom('wave_members').where('wave_id', '=', f.waveId).execute(),
    refusal: 'wave_members are kept as adopted',
  },
  {
    name: 'waves bad date',
    attempt: (db, f) =>
      db
        .insertInto('waves')
        .values({
          run_id: f.freeRunId,
          name: 'x',
          target_go_live: '30/06/2027',
          budget_vnd: 0,
          adopted_by: f.userId,
          adopted_at: AT,
        })
        .execute(),
    refusal: 'check',
  },
  {
    name: 'milestones delete',
    attempt: (db, f) => db.deleteFrom('milestones').where('id', '=', f.milestoneId).execute(),
    refusal: 'milestones are kept',
  },
  {
    name: 'milestones rewrite of the proposal',
    attempt: (db, f) =>
      db.updateTable('milestones').set({ note: 'other' }).where('id', '=', f.milestoneId).execute(),
    refusal: 'milestones: only the review of a proposal may be written',
  },
  {
    name: 'milestones review',
    attempt: (db, f) =>
      db
        .updateTable('milestones')
        .set({ status: 'confirmed', reviewed_by: f.userId, reviewed_at: AT })
        .where('id', '=', f.milestoneId)
        .execute(),
    refusal: null,
  },
  {
    name: 'milestones second review',
    attempt: (db, f) =>
      db
        .updateTable('milestones')
        .set({ review_comment: 'again' })
        .where('id', '=', f.milestoneId)
        .execute(),
    refusal: 'milestones: only the review of a proposal may be written',
  },
  {
    name: 'remedial_cost_tables update',
    attempt: (db, f) =>
      db
        .updateTable('remedial_cost_tables')
        .set({ created_at: AT })
        .where('id', '=', f.costTableId)
        .execute(),
    refusal: 'cost table versions are immutable: save a new version',
  },
  {
    name: 'remedial_cost_tables delete in use',
    attempt: (db, f) =>
      db.deleteFrom('remedial_cost_tables').where('id', '=', f.costTableId).execute(),
    refusal: 'cost table version is used by a saved scenario',
  },
  {
    name: 'roadmap_scenarios update',
    attempt: (db, f) =>
      db
        .updateTable('roadmap_scenarios')
        .set({ name: 'x' })
        .where('id', '=', f.scenarioId)
        .execute(),
    refusal: 'saved scenarios are immutable: save a new one',
  },
  {
    name: 'rounds gate_settings not an object',
    attempt: (db, f) =>
      db.updateTable('rounds').set({ gate_settings: '[]' }).where('id', '=', f.roundId).execute(),
    refusal: 'check',
  },
  {
    name: 'api_tokens without scopes',
    attempt: (db, f) =>
      db
        .insertInto('api_tokens')
        .values({
          name: 'x',
          scopes: '[]',
          token_hash: HEX('f'),
          created_by: f.userId,
          created_at: AT,
          expires_at: '2027-01-01T00:00:00.000Z',
        })
        .execute(),
    refusal: 'check',
  },
]

/** What each case did: 'allowed', or the error's message. */
async function outcomes(db: Db, f: Fixture): Promise<Record<string, string>> {
  const seen: Record<string, string> = {}
  for (const c of GUARD_CASES) {
    try {
      await c.attempt(db, f)
      seen[c.name] = 'allowed'
    } catch (error) {
      seen[c.name] = error instanceof Error ? error.message : String(error)
    }
  }
  return seen
}

async function counters(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('change_counters').select(['name', 'value']).execute()
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.value)]))
}

function delta(after: Record<string, number>, before: Record<string, number>) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]))
}

const domainsOf = (db: Db, assessmentId: number) =>
  db
    .selectFrom('score_domains')
    .innerJoin('scores', 'scores.id', 'score_domains.score_id')
    .select(['scores.basis', 'score_domains.domain_id', 'score_domains.score_bp'])
    .where('scores.assessment_id', '=', assessmentId)
    .orderBy('scores.basis')
    .orderBy('score_domains.domain_id')
    .execute()

/** A result JSON whose domain scores round differently in numeric than in doubles (0.00015). */
const RESULT = JSON.stringify({
  domains: [
    { id: 'governance', score: 0.12345 },
    { id: 'infrastructure', score: 0.00015 },
    { id: 'records', score: 1 },
    { id: 'no-score' },
  ],
})

/**
 * The sample write: a facility added, a province renamed, a submitted and a
 * draft assessment touched, a submitted score rewritten and a draft score
 * replaced. Returns the counters' movement and the two assessments' domains.
 */
async function sampleWrite(db: Db, f: SeededRows) {
  const before = await counters(db)
  await db
    .insertInto('facilities')
    .values({
      code: '99901',
      name: 'Sample',
      province_code: f.provinceCode,
      tier: 'basic',
      ownership: 'public',
      beds: 10,
      emr_status: 'none',
      search_key: 'sample',
      created_at: AT,
    })
    .execute()
  await db
    .updateTable('provinces')
    .set({ search_key: 'renamed' })
    .where('code', '=', f.provinceCode)
    .execute()
  for (const id of [f.submittedId, f.draftId])
    await db.updateTable('assessments').set({ updated_at: AT }).where('id', '=', id).execute()
  await db
    .updateTable('scores')
    .set({ result_json: RESULT })
    .where('assessment_id', '=', f.submittedId)
    .where('basis', '=', 'declared')
    .execute()
  await db.deleteFrom('scores').where('assessment_id', '=', f.draftId).execute()
  await db
    .insertInto('scores')
    .values({
      assessment_id: f.draftId,
      scoring_model_id: f.scoringModelId,
      basis: 'declared',
      composite_bp: 1000,
      level: 'L1',
      completeness: 0.5,
      result_json: RESULT,
      computed_at: AT,
    })
    .execute()
  return {
    counters: delta(await counters(db), before),
    submitted: await domainsOf(db, f.submittedId),
    draft: await domainsOf(db, f.draftId),
  }
}

/** Moves `db` to migration `name` (up or down) with the registry of its dialect. */
async function migrateTo(db: Db, set: Record<string, Migration>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => set } })
  const { error } = await migrator.migrateTo(name)
  if (error) throw error
}

/**
 * Rows written at 0002, before the migrations that carry data: a score for
 * 0003's score_domains backfill, audit rows for 0006's chaining, a user for
 * 0010's folded search key. SQL of that time, not the current schema types.
 */
async function writeRowsOf0002(db: Db): Promise<void> {
  const statements = [
    sql`INSERT INTO provinces (code, name, name_en, full_name, full_name_en, search_key)
      VALUES ('01', 'Hà Nội', 'Ha Noi', 'Thành phố Hà Nội', 'Ha Noi City', 'ha noi')`,
    sql`INSERT INTO facilities (id, code, name, province_code, tier, ownership, beds, emr_status, search_key, created_at)
      VALUES (1, '01001', 'Bệnh viện Bạch Mai', '01', 'central', 'public', 3200, 'none', 'bach mai', ${AT})`,
    sql`INSERT INTO users (id, login, display_name, role, password_hash, created_at, updated_at)
      VALUES (1, 'quantri', 'Quản Trị  Hệ thống', 'admin', 'x', ${AT}, ${AT})`,
    sql`INSERT INTO questionnaires (id, version, json, sha256, created_at)
      VALUES (1, '1', '{}', ${HEX('a')}, ${AT})`,
    sql`INSERT INTO scoring_models (id, model_id, version, json, sha256, created_at)
      VALUES (1, 'm', '1', '{}', ${HEX('b')}, ${AT})`,
    sql`INSERT INTO rounds (id, name, opens_on, closes_on, questionnaire_id, scoring_model_id, created_at)
      VALUES (1, 'R1', '2026-01-01', '2026-12-31', 1, 1, ${AT})`,
    sql`INSERT INTO assessments (id, facility_id, round_id, status, created_at, updated_at)
      VALUES (1, 1, 1, 'submitted', ${AT}, ${AT})`,
    sql`INSERT INTO scores (id, assessment_id, scoring_model_id, basis, composite_bp, level, completeness, result_json, computed_at)
      VALUES (1, 1, 1, 'declared', 5000, 'L2', 1, ${RESULT}, ${AT})`,
    sql`INSERT INTO audit_log (id, at, actor_id, action, entity_type, entity_id, facility_id, detail_json)
      VALUES (1, ${AT}, 1, 'auth.login', 'user', '1', NULL, '{}'),
             (2, ${AT}, 1, 'assessment.submit', 'assessment', '1', 1, '{"version":3}')`,
  ]
  for (const statement of statements) await statement.execute(db)
}

async function carriedRowsOf(db: Db) {
  const audit = await db
    .selectFrom('audit_log')
    .select(['id', 'action', 'detail_json', 'prev_hash', 'hash'])
    .orderBy('id')
    .execute()
  return {
    domains: await domainsOf(db, 1),
    // The marker's time is the migration's, so its hash differs; the rows before it must not.
    audit: audit.map((r) => (r.action === 'audit.chain_started' ? { ...r, hash: 'now' } : r)),
    users: await db.selectFrom('users').select(['login', 'search_key', 'version']).execute(),
    deployment: await db.selectFrom('deployment').select('mode').execute(),
  }
}

/**
 * The app's own writes and reads of the three jsonb columns, through its
 * model functions: what comes back must be what went in (jsonb reorders
 * keys and re-spaces; the app decodes, so neither may matter).
 */
async function jsonbRoundTrip(db: Db, f: SeededRows) {
  const gateSettings = { zeta_gate: true, a: false }
  const roundId = await insertRound(
    db,
    {
      name: 'Round with gates',
      opensOn: '2027-01-01',
      closesOn: '2027-03-31',
      questionnaireId: f.questionnaireId,
      scoringModelId: f.scoringModelId,
      gateSettings,
    },
    AT,
  )
  const scopes = ['waves:read', 'facilities:read'] as const
  await insertApiToken(db, {
    name: 'analyst',
    scopes: [...scopes],
    provinceCode: null,
    tokenHash: HEX('9'),
    createdBy: f.userId,
    now: AT,
    expiresAt: '2027-01-01T00:00:00.000Z',
  })
  // A seeded engine result (the sample write above replaced those of f's assessments).
  const seeded = await db
    .selectFrom('scores')
    .select(['assessment_id', 'scoring_model_id'])
    .where('assessment_id', 'not in', [f.submittedId, f.draftId])
    .where('basis', '=', 'declared')
    .orderBy('id')
    .executeTakeFirstOrThrow()
  const stored = await getScore(db, seeded.assessment_id, seeded.scoring_model_id, 'declared')
  if (!stored) throw new Error('the seeded score did not read back')
  await upsertScore(db, {
    assessmentId: f.draftId,
    scoringModelId: seeded.scoring_model_id,
    basis: 'verified',
    score: stored.score,
    now: AT,
  })
  return {
    written: { gateSettings, scopes: [...scopes], score: stored.score },
    read: {
      gateSettings: (await getRoundForEdit(db, roundId))?.gate_settings,
      scopes: (await getApiTokenByHash(db, HEX('9')))?.scopes,
      score: (await getScore(db, f.draftId, seeded.scoring_model_id, 'verified'))?.score,
    },
  }
}

describe('the PostgreSQL schema', () => {
  let server: PostgresServer
  let sqlitePath: string
  let sqliteDb: Db
  let pgUrl: string
  let pgDb: Db

  beforeAll(async () => {
    server = await startPostgres({ durable: false })
    pgUrl = await createDatabase(server.url, `pg_schema_${process.pid}`)
    sqlitePath = copyTemplateDatabase('pg-schema')
    sqliteDb = openDatabase(sqlitePath).db
  })

  afterAll(async () => {
    await pgDb?.destroy()
    await sqliteDb?.destroy()
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true })
    server?.stop()
  })

  it('prepare --demo migrates and seeds PostgreSQL, once; the audit chain verifies', async () => {
    const prepared = cli(pgUrl, ['prepare', '--demo'])
    expect(prepared.out).toContain('demo data loaded')
    expect(prepared.status).toBe(0)
    pgDb = openPostgres(pgUrl, { poolSize: 2 }).db
    const assessments = () =>
      pgDb.selectFrom('assessments').select(pgDb.fn.countAll<number>().as('n')).executeTakeFirst()
    const seeded = await assessments()
    expect(seeded?.n).toBeGreaterThan(100)
    // As every start of the demo does: the second time finds the data there and adds nothing.
    const again = cli(pgUrl, ['prepare', '--demo'])
    expect(again.status, again.out).toBe(0)
    expect(await assessments()).toEqual(seeded)
    // The app appends to the chain on PostgreSQL, two writers at once (pool of two).
    await Promise.all(
      ['auth.login', 'auth.logout'].map((action) =>
        writeAudit(pgDb, { actorId: null, action, entityType: 'user', detail: { n: 1 }, at: AT }),
      ),
    )
    const verified = cli(pgUrl, ['audit-verify'])
    expect(verified.out).toContain('audit chain intact: 3 rows')
    expect(verified.status).toBe(0)
  })

  it('builds the same tables, columns, indexes and triggers as SQLite', async () => {
    expect(await columnsOf(pgDb, 'postgres')).toEqual(await columnsOf(sqliteDb, 'sqlite'))
    expect(await indexesOf(pgDb, 'postgres')).toEqual(await indexesOf(sqliteDb, 'sqlite'))
    // PostgreSQL has TRUNCATE, which row triggers do not see: the audit log refuses it too.
    expect(await triggersOf(pgDb, 'postgres')).toEqual(
      [...(await triggersOf(sqliteDb, 'sqlite')), 'audit_log.audit_log_no_truncate'].sort(),
    )
  })

  it('leaves every identity sequence past the ids already used', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND is_identity = 'YES'`.execute(pgDb)
    expect(rows.length).toBeGreaterThan(20)
    const behind: string[] = []
    for (const { table_name: table, column_name: column } of rows) {
      const { rows: found } = await sql<{ next: number; used: number | null }>`
        SELECT nextval(pg_get_serial_sequence(${table}, ${column})) AS next,
               (SELECT max(${sql.ref(column)}) FROM ${sql.table(table)}) AS used`.execute(pgDb)
      const next = Number(found[0]?.next)
      const used = Number(found[0]?.used ?? 0)
      if (!(next > used)) behind.push(`${table}.${column}: next ${next}, largest ${used}`)
    }
    expect(behind).toEqual([])
  })

  it('refuses with every guard what SQLite refuses, with the same message', async () => {
    const [onSqlite, onPostgres] = [
      await outcomes(sqliteDb, await fixtureOf(sqliteDb, await seededRowsOf(sqliteDb))),
      await outcomes(pgDb, await fixtureOf(pgDb, await seededRowsOf(pgDb))),
    ]
    for (const c of GUARD_CASES) {
      const sqliteSaw = onSqlite[c.name]
      const postgresSaw = onPostgres[c.name]
      if (c.refusal === 'check') {
        expect(sqliteSaw, c.name).toMatch(/^CHECK constraint failed/)
        // Before PostgreSQL 16, json_valid's cast refuses bad JSON itself (0001).
        expect(postgresSaw, c.name).toMatch(
          /violates check constraint|^invalid input syntax for type json/,
        )
      } else {
        expect(sqliteSaw, c.name).toBe(c.refusal ?? 'allowed')
        expect(postgresSaw, c.name).toBe(c.refusal ?? 'allowed')
      }
    }
  })

  it('moves the change counters and score_domains as SQLite does', async () => {
    const onSqlite = await sampleWrite(sqliteDb, await seededRowsOf(sqliteDb))
    const onPostgres = await sampleWrite(pgDb, await seededRowsOf(pgDb))
    expect(onPostgres).toEqual(onSqlite)
    expect(onSqlite.counters).toEqual({ facilities: 1, provinces: 1, assessments: 1, scores: 1 })
    // SQLite's rounding of 10000 × the score in doubles: 1234.5 up, 1.4999999999999998 down.
    expect(onSqlite.submitted.filter((d) => d.basis === 'declared')).toEqual([
      { basis: 'declared', domain_id: 'governance', score_bp: 1235 },
      { basis: 'declared', domain_id: 'infrastructure', score_bp: 1 },
      { basis: 'declared', domain_id: 'records', score_bp: 10000 },
    ])
    expect(onSqlite.draft).toEqual(onSqlite.submitted.filter((d) => d.basis === 'declared'))
  })

  it('gives the app back the JSON it stored in jsonb, as SQLite does', async () => {
    const onSqlite = await jsonbRoundTrip(sqliteDb, await seededRowsOf(sqliteDb))
    const onPostgres = await jsonbRoundTrip(pgDb, await seededRowsOf(pgDb))
    expect(onSqlite.read).toEqual(onSqlite.written)
    expect(onPostgres.read).toEqual(onPostgres.written)
    // Array order is kept (jsonb keeps it; only object keys are reordered).
    expect(onPostgres.read.scopes).toEqual(['waves:read', 'facilities:read'])
  })

  it('carries rows written before 0003, 0006 and 0010 as SQLite does, and back down', async () => {
    const path = join(TMP_DIR, `it-pg-schema-carry-${process.pid}.sqlite`)
    const onSqlite = openDatabase(path).db
    const { db: onPostgres } = openPostgres(
      await createDatabase(server.url, `pg_carry_${process.pid}`),
      { poolSize: 1 },
    )
    try {
      const carried = []
      for (const [db, set] of [
        [onSqlite, migrations],
        [onPostgres, postgresMigrations],
      ] as const) {
        await migrateTo(db, set, '0002-director')
        await writeRowsOf0002(db)
        await migrateToLatest(db)
        const rows = await carriedRowsOf(db)
        await migrateTo(db, set, '0002-director')
        const back = await db
          .selectFrom('audit_log')
          .select(['id', 'action'])
          .orderBy('id')
          .execute()
        carried.push({ rows, back })
      }
      expect(carried[1]).toEqual(carried[0])
      const [first] = carried
      expect(first?.rows.audit.map((r) => r.action)).toEqual([
        'auth.login',
        'assessment.submit',
        'audit.chain_started',
      ])
      expect(first?.rows.audit[2]?.detail_json).toBe('{"chained_rows":2}')
      expect(first?.rows.domains).toHaveLength(3)
      expect(first?.rows.users).toEqual([
        { login: 'quantri', search_key: 'quantri quan tri he thong', version: 1 },
      ])
      expect(first?.rows.deployment).toEqual([{ mode: 'demo' }])
      expect(first?.back.map((r) => r.id)).toEqual([1, 2])
    } finally {
      await onPostgres.destroy()
      await onSqlite.destroy()
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
    }
  })

  it('migrates a seeded database down to nothing and up again', async () => {
    const url = await createDatabase(server.url, `pg_down_${process.pid}`)
    const { db } = openPostgres(url, { poolSize: 1 })
    try {
      await migrateToLatest(db)
      await seedAll(db, { demo: true, hashPassword, now: AT })
      let steps = 0
      while ((await migrateDown(db)).length > 0) steps++
      expect(steps).toBe(Object.keys(postgresMigrations).length)
      const { rows } = await sql<{ name: string }>`
        SELECT tablename AS name FROM pg_tables
        WHERE schemaname = 'public' AND NOT starts_with(tablename, 'kysely_')
        UNION ALL
        SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'`.execute(db)
      expect(rows).toEqual([])
      expect(await migrateToLatest(db)).toHaveLength(Object.keys(postgresMigrations).length)
    } finally {
      await db.destroy()
    }
  })
})

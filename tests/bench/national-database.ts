/**
 * A national-scale database for the benches, on a real SQLite file or an
 * empty PostgreSQL database (the same rows on both): the 34
 * provinces, the shipped content, one open round under model 1.1.0 and
 * `count` facilities, each with a submitted assessment (seeded demo answers)
 * and its engine score. Registry facts as the demo has them, so every
 * priority term and answer rule has data; readiness spread evenly and a few
 * incomplete answer sets, so every exclusion of the planner occurs.
 * Also the Vietnamese messages, which the app loads through Vite
 * (import.meta.glob) and the benches, run with tsx, read from the same files.
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import i18next, { type TFunction } from 'i18next'
import { sql, type Kysely } from 'kysely'
import { getScoringModel } from '../../app/models/content.server.ts'
import { generateAnswers, type Tier } from '../../db/content/answer-generator.ts'
import { questionnaireV1 } from '../../db/content/questionnaire.ts'
import { openDatabase, openPostgres, redactedUrl } from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedContent } from '../../db/seed-content.ts'
import type { Database } from '../../db/schema.ts'
import { seedProvinces } from '../../db/seed.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import type { BenchDatabase } from './both-databases.ts'

export const NATIONAL_COUNT = 13_000
export const BENCH_NOW = '2026-11-01T00:00:00.000Z'
const TIERS: Tier[] = ['central', 'provincial', 'basic']

/** What every national database starts with: schema, provinces, content, one open round. */
async function prepareNational(db: Kysely<Database>) {
  await migrateToLatest(db)
  await seedProvinces(db)
  const content = await seedContent(db, BENCH_NOW)
  // The current model, as a new round would use it.
  const scoringModelId = content.scoringModelIds.get('1.1.0')
  if (scoringModelId === undefined) throw new Error('scoring model 1.1.0 is not shipped')
  const model = await getScoringModel(db, scoringModelId)
  const provinces = await db.selectFrom('provinces').select('code').orderBy('code').execute()
  const round = await db
    .insertInto('rounds')
    .values({
      name: 'Bench 2026',
      opens_on: '2026-01-01',
      closes_on: '2026-12-31',
      questionnaire_id: content.questionnaireId,
      scoring_model_id: scoringModelId,
      created_at: BENCH_NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { model, scoringModelId, roundId: round.id, provinceCodes: provinces.map((p) => p.code) }
}

/**
 * Facility `i` of the national dataset, its answers and its engine score: a
 * function of `i` alone, so both databases hold the same rows.
 */
function nationalFacility(i: number, provinceCodes: string[], model: ScoringModel) {
  const tier = TIERS[i % 3] ?? 'basic'
  const beds = tier === 'central' ? 1200 : tier === 'provincial' ? 450 : 80
  const emrStatus = i % 20 === 0 ? 'live' : 'none'
  const facility = {
    code: `B${String(i).padStart(5, '0')}`,
    name: `Bệnh viện thử ${i}`,
    province_code: provinceCodes[i % provinceCodes.length] ?? '01',
    tier,
    ownership: 'public',
    beds,
    autonomy_group: 1 + (i % 4),
    emr_status: emrStatus,
    referral_role:
      tier === 'central' ? 'national' : tier === 'provincial' ? 'provincial' : 'district',
    has_imaging: tier === 'basic' ? null : 1,
    facility_class: tier === 'basic' ? 'other' : 'hospital',
    search_key: `benh vien thu ${i}`,
    created_at: BENCH_NOW,
  } as const
  const answers = generateAnswers(
    questionnaireV1,
    model,
    i,
    {
      readiness: (i % 97) / 96,
      tier,
      registry: { beds, emrStatus, ownership: 'public', autonomyGroup: 1 + (i % 4) },
    },
    i % 50 === 0 ? 0.7 : 1,
  )
  return { facility, answers, score: scoreAssessment(model, answers) }
}

/** The national dataset on a SQLite file, written with raw prepared statements (the fastest way in). */
export async function buildNationalDatabase(path: string, count = NATIONAL_COUNT) {
  const { db, sqlite } = openDatabase(path)
  const { model, scoringModelId, roundId, provinceCodes } = await prepareNational(db)
  const t0 = performance.now()
  const insertFacility = sqlite.prepare(
    `INSERT INTO facilities (code, name, province_code, tier, ownership, beds, autonomy_group,
       emr_status, referral_role, has_imaging, facility_class, search_key, created_at)
       VALUES (@code, @name, @province_code, @tier, @ownership, @beds, @autonomy_group,
       @emr_status, @referral_role, @has_imaging, @facility_class, @search_key, @created_at)`,
  )
  const insertAssessment = sqlite.prepare(
    `INSERT INTO assessments (facility_id, round_id, status, version, answers, created_at, updated_at)
     VALUES (?, ?, 'submitted', 1, ?, ?, ?)`,
  )
  const insertScore = sqlite.prepare(
    `INSERT INTO scores (assessment_id, scoring_model_id, basis, composite_bp, level, completeness,
       result_json, computed_at) VALUES (?, ?, 'declared', ?, ?, ?, ?, ?)`,
  )
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const { facility, answers, score } = nationalFacility(i, provinceCodes, model)
      const inserted = insertFacility.run(facility)
      const assessment = insertAssessment.run(
        inserted.lastInsertRowid,
        roundId,
        JSON.stringify(answers),
        BENCH_NOW,
        BENCH_NOW,
      )
      insertScore.run(
        assessment.lastInsertRowid,
        scoringModelId,
        score.compositeBp,
        score.level.id,
        score.completeness,
        JSON.stringify(score),
        BENCH_NOW,
      )
    }
  })()
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  console.info(
    `built ${count} facilities with answers and scores in ${((performance.now() - t0) / 1000).toFixed(1)} s (${path})`,
  )
  return { db, sqlite, model, scoringModelId, roundId }
}

/** How many facilities go in one multi-row INSERT on PostgreSQL (13 columns each, far below 65,535 parameters). */
const POSTGRES_BATCH = 500

/** The id RETURNING gave row `k` of a batch (one per row, in order). */
function idAt(rows: Array<{ id: number }>, k: number): number {
  const row = rows[k]
  if (row === undefined) throw new Error(`RETURNING gave ${rows.length} ids for a larger batch`)
  return row.id
}

/**
 * The same national dataset on an empty PostgreSQL database, through Kysely
 * in batches of rows. The schema's triggers keep `score_domains` and the
 * change counters as SQLite's do, so both databases hold the same rows, ids
 * included (both fresh, both numbering from 1).
 */
export async function buildNationalPostgres(url: string, count = NATIONAL_COUNT) {
  const { db } = openPostgres(url)
  const { model, scoringModelId, roundId, provinceCodes } = await prepareNational(db)
  const t0 = performance.now()
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < count; from += POSTGRES_BATCH) {
      const batch = Array.from({ length: Math.min(POSTGRES_BATCH, count - from) }, (_, k) =>
        nationalFacility(from + k, provinceCodes, model),
      )
      const facilities = await trx
        .insertInto('facilities')
        .values(batch.map((b) => b.facility))
        .returning('id')
        .execute()
      const assessments = await trx
        .insertInto('assessments')
        .values(
          batch.map((b, k) => ({
            facility_id: idAt(facilities, k),
            round_id: roundId,
            status: 'submitted' as const,
            version: 1,
            answers: JSON.stringify(b.answers),
            current_page: 0,
            submission_id: null,
            submitted_at: null,
            submitted_by: null,
            verified_at: null,
            verified_by: null,
            created_at: BENCH_NOW,
            updated_at: BENCH_NOW,
            updated_by: null,
          })),
        )
        .returning('id')
        .execute()
      await trx
        .insertInto('scores')
        .values(
          batch.map((b, k) => ({
            assessment_id: idAt(assessments, k),
            scoring_model_id: scoringModelId,
            basis: 'declared' as const,
            composite_bp: b.score.compositeBp,
            level: b.score.level.id,
            completeness: b.score.completeness,
            result_json: JSON.stringify(b.score),
            computed_at: BENCH_NOW,
          })),
        )
        .execute()
    }
  })
  // Fresh statistics, as autovacuum would gather after a bulk load: the planner's plans depend on them.
  await sql`ANALYZE`.execute(db)
  console.info(
    `built ${count} facilities with answers and scores in ${((performance.now() - t0) / 1000).toFixed(1)} s (${redactedUrl(url)})`,
  )
  return { db, model, scoringModelId, roundId }
}

/** The Vietnamese messages of `namespaces` (plus common), as the pages word them. */
export async function vietnameseT(namespaces: string[]): Promise<TFunction> {
  const read = (ns: string) =>
    JSON.parse(
      readFileSync(new URL(`../../app/locales/vi/${ns}.json`, import.meta.url), 'utf8'),
    ) as Record<string, unknown>
  const instance = i18next.createInstance()
  await instance.init({
    lng: 'vi',
    defaultNS: 'common',
    resources: { vi: Object.fromEntries(['common', ...namespaces].map((ns) => [ns, read(ns)])) },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
  return instance.t
}

/** The national dataset on the database a side-by-side bench was given (tests/bench/both-databases.ts). */
export async function buildNationalOn(database: BenchDatabase, count = NATIONAL_COUNT) {
  return database.dialect === 'sqlite'
    ? buildNationalDatabase(database.path, count)
    : buildNationalPostgres(database.url, count)
}

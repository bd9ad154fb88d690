/**
 * A national-scale database for the benches, on a real SQLite file: the 34
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
import { getScoringModel } from '../../app/models/content.server.ts'
import { generateAnswers, type Tier } from '../../db/content/answer-generator.ts'
import { questionnaireV1 } from '../../db/content/questionnaire.ts'
import { openDatabase } from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedContent } from '../../db/seed-content.ts'
import { seedProvinces } from '../../db/seed.ts'
import { scoreAssessment } from '../../scoring/score.ts'

export const NATIONAL_COUNT = 13_000
export const BENCH_NOW = '2026-11-01T00:00:00.000Z'
const TIERS: Tier[] = ['central', 'provincial', 'basic']

export async function buildNationalDatabase(path: string, count = NATIONAL_COUNT) {
  const { db, sqlite } = openDatabase(path)
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
  const t0 = performance.now()
  const insertFacility = sqlite.prepare(
    `INSERT INTO facilities (code, name, province_code, tier, ownership, beds, autonomy_group,
       emr_status, referral_role, has_imaging, facility_class, search_key, created_at)
       VALUES (?, ?, ?, ?, 'public', ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      const tier = TIERS[i % 3] ?? 'basic'
      const province = provinces[i % provinces.length]?.code ?? '01'
      const beds = tier === 'central' ? 1200 : tier === 'provincial' ? 450 : 80
      const emrStatus = i % 20 === 0 ? 'live' : 'none'
      const facility = insertFacility.run(
        `B${String(i).padStart(5, '0')}`,
        `Bệnh viện thử ${i}`,
        province,
        tier,
        beds,
        1 + (i % 4),
        emrStatus,
        tier === 'central' ? 'national' : tier === 'provincial' ? 'provincial' : 'district',
        tier === 'basic' ? null : 1,
        tier === 'basic' ? 'other' : 'hospital',
        `benh vien thu ${i}`,
        BENCH_NOW,
      )
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
      const assessment = insertAssessment.run(
        facility.lastInsertRowid,
        round.id,
        JSON.stringify(answers),
        BENCH_NOW,
        BENCH_NOW,
      )
      const score = scoreAssessment(model, answers)
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
  return { db, sqlite, model, scoringModelId, roundId: round.id }
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

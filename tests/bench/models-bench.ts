/**
 * Model-version preview bench on a real SQLite file: 13,000 facilities, each
 * with a submitted assessment (seeded demo answers) and its stored score
 * under model 1.1.0; a new version (other domain weights, R2 at 58) is
 * uploaded through the same module as the page, then:
 * - the preview, cold (nothing parsed or kept: the stored results are read,
 *   13,000 answer sets scored under the new version, both default waves
 *   selected and compared); target < 10 s;
 * - its XLSX (every facility); the re-score (26,000 rows would be written for
 *   two bases; here 13,000 declared rows).
 * Wall time is the target; CPU time is printed beside it because the machine is shared.
 * Run: npx tsx tests/bench/models-bench.ts
 */
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import i18next from 'i18next'
import { buildModelPreview } from '../../app/admin/models/preview.server.ts'
import { previewXlsx } from '../../app/admin/models/preview-file.server.ts'
import { rescoreRound } from '../../app/admin/models/rescore.server.ts'
import { uploadVersions } from '../../app/admin/models/upload.server.ts'
import { getScoringModel } from '../../app/models/content.server.ts'
import { clearWaveScoreCache } from '../../app/waves/wave-inputs.server.ts'
import { generateAnswers, type Tier } from '../../db/content/answer-generator.ts'
import { questionnaireV1 } from '../../db/content/questionnaire.ts'
import scoringModelJson from '../../db/content/scoring-model-v1.1.json' with { type: 'json' }
import { openDatabase } from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedContent } from '../../db/seed-content.ts'
import { seedProvinces } from '../../db/seed.ts'
import { scoreAssessment } from '../../scoring/score.ts'

const COUNT = 13_000
const NOW = '2026-11-01T00:00:00.000Z'
const TIERS: Tier[] = ['central', 'provincial', 'basic']
const path = join(tmpdir(), `sansang-models-bench-${process.pid}.sqlite`)
const rows: string[][] = []
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

async function measure<T>(label: string, target: number | null, fn: () => Promise<T>) {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const value = await fn()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  rows.push([
    label,
    `${ms.toFixed(0)} ms`,
    `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
    target === null ? '' : ms < target ? `< ${target} ms ✓` : `< ${target} ms ✗`,
    mb(process.resourceUsage().maxRSS * 1024),
  ])
  return { value, ms }
}

async function buildDatabase() {
  const { db, sqlite } = openDatabase(path)
  await migrateToLatest(db)
  await seedProvinces(db)
  const content = await seedContent(db, NOW)
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
      created_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // The administrator the audit rows name (no password: nobody signs in here).
  const admin = sqlite
    .prepare(
      `INSERT INTO users (login, display_name, role, search_key, created_at, updated_at)
       VALUES ('bench.admin', 'Bench', 'admin', 'bench.admin', ?, ?) RETURNING id`,
    )
    .get(NOW, NOW) as { id: number }
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
    for (let i = 0; i < COUNT; i++) {
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
        NOW,
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
        NOW,
        NOW,
      )
      const score = scoreAssessment(model, answers)
      insertScore.run(
        assessment.lastInsertRowid,
        scoringModelId,
        score.compositeBp,
        score.level.id,
        score.completeness,
        JSON.stringify(score),
        NOW,
      )
    }
  })()
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  return { db, roundId: round.id, adminId: admin.id }
}

/** The app loads its messages through Vite (import.meta.glob); the bench reads the same file. */
async function modelsT() {
  const { readFileSync } = await import('node:fs')
  const read = (ns: string) =>
    JSON.parse(
      readFileSync(new URL(`../../app/locales/vi/${ns}.json`, import.meta.url), 'utf8'),
    ) as Record<string, unknown>
  const instance = i18next.createInstance()
  await instance.init({
    lng: 'vi',
    defaultNS: 'common',
    resources: { vi: { common: read('common'), models: read('models') } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
  return instance.t
}

const t0 = performance.now()
const { db, roundId, adminId } = await buildDatabase()
console.info(
  `built ${COUNT} facilities with answers and scores in ${((performance.now() - t0) / 1000).toFixed(1)} s (${path})`,
)
try {
  const json = structuredClone(scoringModelJson) as {
    version: string
    domains: Array<{ id: string; weight: number }>
    levels: Array<{ id: string; minComposite: number }>
  }
  json.version = '1.2.0'
  const weights = [0.3, 0.1, 0.1, 0.2, 0.2, 0.1]
  json.domains.forEach((d, i) => (d.weight = weights[i] ?? Number.NaN))
  for (const l of json.levels) if (l.id === 'R2') l.minComposite = 58
  const uploaded = await measure('upload and check a model version', null, () =>
    uploadVersions(db, {
      questionnaire: null,
      model: { text: JSON.stringify(json) },
      userId: adminId,
      ip: 'bench',
      requestId: 'bench',
      now: NOW,
    }),
  )
  if (uploaded.value.kind !== 'stored' || !uploaded.value.model) {
    throw new Error(`upload refused: ${JSON.stringify(uploaded.value)}`)
  }
  const modelId = uploaded.value.model.id
  clearWaveScoreCache()
  const preview = await measure('preview, cold (13,000 assessments)', 10_000, () =>
    buildModelPreview(db, { roundId, modelId }),
  )
  if (preview.value.kind !== 'ok') throw new Error(`no preview: ${preview.value.kind}`)
  const p = preview.value.preview
  const t = await modelsT()
  const file = await measure('preview XLSX (every facility)', null, () => previewXlsx(p, t))
  const rescore = await measure('re-score the round (new rows)', null, () =>
    rescoreRound(db, {
      roundId,
      modelId,
      userId: adminId,
      ip: 'bench',
      requestId: 'bench',
      now: NOW,
    }),
  )
  const wave =
    p.wave.kind === 'compared'
      ? `${p.wave.entering.length} enter, ${p.wave.leaving.length} leave the default wave`
      : p.wave.kind
  console.info(
    `\n${p.compared} compared, ${p.levels.changed} change level, τ-b ${p.kendallTauB?.toFixed(3) ?? '—'}, ${wave}; XLSX ${(file.value.byteLength / 1024 / 1024).toFixed(1)} MB; re-score ${JSON.stringify(rescore.value)}\n`,
  )
  const header = ['Step', 'Time', 'CPU', 'Target', 'Peak RSS so far']
  console.info(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`)
  for (const r of rows) console.info(`| ${r.join(' | ')} |`)
  if (preview.ms >= 10_000) process.exitCode = 1
} finally {
  await db.destroy()
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
}

/**
 * Model-version preview bench on a real SQLite file: 13,000 facilities, each
 * with a submitted assessment (seeded demo answers) and its stored score
 * under model 1.1.0; a new version (other domain weights, R2 at 58) is
 * uploaded through the same module as the page, then:
 * - the preview, cold (nothing parsed or kept: the stored results are read,
 *   13,000 answer sets scored under the new version, both default waves
 *   selected and compared); target < 10 s;
 * - its XLSX (every facility); the re-score (26,000 rows would be written for
 *   two bases; here 13,000 declared rows);
 * - the preview's scoring alone, both ways on the same answers: scoreAssessment
 *   under the new version (what the preview runs: its new-side wave needs the
 *   slim results), against encoding the answers once (scoring/encoded.ts) and
 *   scoreEncoded under both versions; composites and levels are checked against
 *   the preview's rows.
 * Wall time is the target; CPU time is printed beside it because the machine is shared.
 * Run: npx tsx tests/bench/models-bench.ts
 */
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildModelPreview, type ModelPreview } from '../../app/admin/models/preview.server.ts'
import { previewXlsx } from '../../app/admin/models/preview-file.server.ts'
import { rescoreRound } from '../../app/admin/models/rescore.server.ts'
import { getScoringModel } from '../../app/models/content.server.ts'
import { listRoundAnswers } from '../../app/models/model-version.server.ts'
import { gateSettingsFor, getRoundScoring } from '../../app/models/round-scoring.server.ts'
import { answerLayout, encodeAnswers, scoreEncoded } from '../../scoring/encoded.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import { uploadVersions } from '../../app/admin/models/upload.server.ts'
import { clearWaveScoreCache } from '../../app/waves/wave-inputs.server.ts'
import scoringModelJson from '../../db/content/scoring-model-v1.1.json' with { type: 'json' }
import { BenchTable } from './bench-table.ts'
import { BENCH_NOW as NOW, buildNationalDatabase, vietnameseT } from './national-database.ts'

const path = join(tmpdir(), `sansang-models-bench-${process.pid}.sqlite`)
const table = new BenchTable()
const measure = table.measure.bind(table)

const { db, sqlite, roundId } = await buildNationalDatabase(path)
// The administrator the audit rows name (no password: nobody signs in here).
const adminId = (
  sqlite
    .prepare(
      `INSERT INTO users (login, display_name, role, search_key, created_at, updated_at)
       VALUES ('bench.admin', 'Bench', 'admin', 'bench.admin', ?, ?) RETURNING id`,
    )
    .get(NOW, NOW) as { id: number }
).id
/** The preview's scoring step alone, as it runs and encoded once; both checked against its rows. */
async function measurePreviewScoring(p: ModelPreview): Promise<void> {
  const [oldModel, newModel] = await Promise.all([
    getScoringModel(db, p.oldModel.rowId),
    getScoringModel(db, p.newModel.rowId),
  ])
  const gateEnabled = gateSettingsFor(newModel, (await getRoundScoring(db, roundId)).gateEnabled)
  const rows = await listRoundAnswers(db, { roundId, statuses: ['submitted', 'verified'] })
  const byFacility = new Map(rows.map((r) => [r.facility_id, r.answers]))
  const compared = p.rows.map((row) => {
    const answers = byFacility.get(row.facilityId)
    if (!answers) throw new Error(`no answers for facility ${row.facilityId}`)
    return { row, answers }
  })
  const answers = compared.map((c) => c.answers)
  const full = await measure(
    'preview scoring: scoreAssessment × 13,000 (new version)',
    null,
    () => Promise.resolve(answers.map((a) => scoreAssessment(newModel, a, { gateEnabled }))),
    3,
  )
  const layout = answerLayout([oldModel, newModel])
  const encoded = await measure(
    'encodeAnswers once for both versions (13,000)',
    null,
    () => Promise.resolve(encodeAnswers(layout, answers)),
    3,
  )
  const scored = await measure(
    'scoreEncoded under both versions (13,000 × 2)',
    null,
    () =>
      Promise.resolve([
        scoreEncoded(oldModel, encoded.value),
        scoreEncoded(newModel, encoded.value, { gateEnabled }),
      ]),
    5,
  )
  const [oldScores, newScores] = scored.value
  compared.forEach(({ row }, f) => {
    const level = (m: typeof oldModel, i: number | undefined) => m.levels[i ?? -1]?.id
    if (
      full.value[f]?.compositeBp !== row.newCompositeBp ||
      newScores?.compositeBp[f] !== row.newCompositeBp ||
      level(newModel, newScores?.levelIndex[f]) !== row.newLevel ||
      oldScores?.compositeBp[f] !== row.oldCompositeBp ||
      level(oldModel, oldScores?.levelIndex[f]) !== row.oldLevel
    ) {
      throw new Error(`facility ${row.facilityId}: the encoded scores differ from the preview's`)
    }
  })
  const bytes = encoded.value.states.byteLength + encoded.value.values.byteLength
  console.info(
    `encoded matrix: ${layout.columns.length} columns, ${(bytes / 2 ** 20).toFixed(1)} MB; composites and levels equal the preview's on both sides`,
  )
}

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
  await measurePreviewScoring(p)
  const t = await vietnameseT(['models'])
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
  table.finish()
} finally {
  await db.destroy()
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
}

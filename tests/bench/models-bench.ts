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
import { buildModelPreview } from '../../app/admin/models/preview.server.ts'
import { previewXlsx } from '../../app/admin/models/preview-file.server.ts'
import { rescoreRound } from '../../app/admin/models/rescore.server.ts'
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

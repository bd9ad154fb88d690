/**
 * Scoring engine bench: 13,000 synthetic facilities × 80 items (seeded).
 * - scoring: scoreAssessment (full explained result), scoreComposites (batch over
 *   answer objects) and scoreEncoded (over answers encoded once, scoring/encoded.ts)
 *   next to a plain Float64Array loop computing the same composites (target ≤ 3×),
 *   with the one-off encoding cost and the encoded matrix's memory;
 * - robustness: 10,000 Dirichlet draws with re-ranking and wave re-selection
 *   (budget for 130, ≥ 1 per province of 34), split over 2 worker threads (target < 10 s);
 * - peak memory (maxRSS from the kernel, heapUsed).
 * Run: npx tsx tests/bench/scoring-bench.ts
 */
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { rankFacilities } from '../../scoring/rank.ts'
import {
  mergeRobustness,
  robustnessFacility,
  runRobustnessDraws,
  summarizeRobustness,
  weightSensitivity,
  type RobustnessPartial,
  type RobustnessRequestInput,
} from '../../scoring/robustness.ts'
import { answerLayout, encodeAnswers, scoreEncoded } from '../../scoring/encoded.ts'
import { scoreAssessment, scoreComposites, type AssessmentScore } from '../../scoring/score.ts'
import { selectWave } from '../../scoring/wave.ts'
import { baselineComposites, benchModel, facilities, ITEMS, PROVINCES } from './scoring-fixtures.ts'

const COUNT = 13_000
const DRAWS = 10_000
const WORKERS = 2

const rows: Array<[string, string, string]> = []
let heapPeak = 0
const sample = () => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
}
const ms = (t: number) => `${t.toFixed(1)} ms`

function best(runs: number, fn: () => void): number {
  let min = Infinity
  for (let r = 0; r < runs; r++) {
    const start = performance.now()
    fn()
    min = Math.min(min, performance.now() - start)
  }
  return min
}

// --- Scoring -----------------------------------------------------------------

const model = benchModel()
const list = facilities(COUNT, 2026)
const data = new Float64Array(COUNT * (ITEMS + 1))
list.forEach((f, i) => data.set(f.encoded, i * (ITEMS + 1)))
const answers = list.map((f) => f.answers)
sample()

// Warm up the JIT on a slice so every path is measured hot.
for (const f of list.slice(0, 500)) scoreAssessment(model, f.answers)
scoreComposites(model, answers.slice(0, 500))
baselineComposites(model, data, 500)
const layout = answerLayout([model])
scoreEncoded(model, encodeAnswers(layout, answers.slice(0, 500)))

let scores: AssessmentScore[] = []
const tFull = best(3, () => {
  scores = list.map((f) => scoreAssessment(model, f.answers))
})
sample()
let batch: Float64Array = new Float64Array(0)
const tBatch = best(5, () => {
  batch = scoreComposites(model, answers)
})
let plain: Float64Array = new Float64Array(0)
const tPlain = best(5, () => {
  plain = baselineComposites(model, data, COUNT)
})
// Encoding happens once per save or load, not per model: timed apart from the scoring.
let encoded = encodeAnswers(layout, answers.slice(0, 1))
const tEncode = best(3, () => {
  encoded = encodeAnswers(layout, answers)
})
let fromEncoded: Float64Array = new Float64Array(0)
const tEncoded = best(5, () => {
  fromEncoded = scoreEncoded(model, encoded).composite
})
// The floor for any engine that reads SurveyJS-style answer objects: the keyed lookups alone.
const ids = model.items.flatMap((it) => (it.statusQuestion ? [it.id, it.statusQuestion] : [it.id]))
let sink = 0
const tLookups = best(5, () => {
  for (const a of answers) for (const id of ids) if (a[id] !== undefined) sink++
})
if (sink < 0) throw new Error('unreachable')
sample()
let maxDiff = 0
for (let i = 0; i < COUNT; i++) {
  maxDiff = Math.max(maxDiff, Math.abs((plain[i] ?? 0) - (batch[i] ?? 0)))
  maxDiff = Math.max(maxDiff, Math.abs((scores[i]?.composite ?? 0) - (batch[i] ?? 0)))
}
if (maxDiff > 1e-9) throw new Error(`composites disagree by ${maxDiff}`)
for (let i = 0; i < COUNT; i++) {
  if (!Object.is(fromEncoded[i], batch[i])) throw new Error(`scoreEncoded differs at ${i}`)
}
const encodedBytes = encoded.states.byteLength + encoded.values.byteLength
rows.push(['plain Float64Array loop (13,000 composites)', ms(tPlain), '1.0×'])
rows.push([
  'answer-object lookups alone (floor for reading JSON answers)',
  ms(tLookups),
  `${(tLookups / tPlain).toFixed(1)}×`,
])
rows.push([
  'scoreComposites (same composites, from answer objects)',
  ms(tBatch),
  `${(tBatch / tPlain).toFixed(1)}× (target ≤ 3×)`,
])
rows.push([
  'scoreEncoded over pre-encoded answers (same composites, and levels)',
  ms(tEncoded),
  `${(tEncoded / tPlain).toFixed(1)}× (target ≤ 3×)`,
])
rows.push([
  `encodeAnswers (once per save or load; ${layout.columns.length} columns)`,
  ms(tEncode),
  `matrix ${(encodedBytes / 2 ** 20).toFixed(1)} MB (${(encodedBytes / COUNT).toFixed(0)} B/facility)`,
])
rows.push([
  'scoreAssessment (full explained result, 13,000)',
  ms(tFull),
  `${(tFull / tPlain).toFixed(1)}×; ${((1000 * tFull) / COUNT).toFixed(1)} µs/facility`,
])

// --- Ranking and one exact wave --------------------------------------------------

const entries = list.map((f, i) => {
  const score = scores[i]
  if (!score) throw new Error('missing score')
  return { facilityId: f.facilityId, code: f.code, score, province: f.province }
})
let tRank = performance.now()
const ranking = rankFacilities(entries, { model, requiredGateIds: [] })
tRank = performance.now() - tRank
rows.push([
  `rankFacilities (${ranking.ranked.length} ranked, ${ranking.excluded.length} excluded)`,
  ms(tRank),
  '',
])
const ranked = new Set(ranking.ranked.map((r) => r.facilityId))
const provinceQuotas = Object.fromEntries(
  Array.from({ length: PROVINCES }, (_, p) => [`p${String(p).padStart(2, '0')}`, { min: 1 }]),
)
let tWave = performance.now()
const wave = selectWave({
  facilities: ranking.ranked.map((r) => ({
    facilityId: r.facilityId,
    code: r.code,
    priorityBp: r.priorityBp,
    province: r.province ?? '',
  })),
  budget: 1_300_000_000_000,
  provinceQuotas,
})
tWave = performance.now() - tWave
if (!wave.feasible) throw new Error('wave infeasible')
rows.push([
  `selectWave greedy (130 of ${ranking.ranked.length}, 34 province minimums)`,
  ms(tWave),
  `price of equity ${wave.priceOfEquity} bp`,
])
sample()

// --- Robustness ------------------------------------------------------------------

const request: RobustnessRequestInput = {
  facilities: entries
    .filter((e) => ranked.has(e.facilityId))
    .map((e) =>
      robustnessFacility({
        facilityId: e.facilityId,
        code: e.code,
        province: e.province,
        score: e.score,
      }),
    ),
  domainWeights: model.domains.map((d) => d.weight),
  alpha: 100,
  draws: DRAWS,
  seed: 20260101,
  wave: { budget: 1_300_000_000_000, provinceQuotas },
}

// One thread: fixed cost (parse, feasibility check) and per-draw cost.
const tFixed = best(1, () => {
  runRobustnessDraws({ ...request, drawStart: 0, drawCount: 0 })
})
const tSerial = best(1, () => {
  runRobustnessDraws({ ...request, drawStart: 0, drawCount: 500 })
})
rows.push([
  `robustness, 1 thread, 500 draws × ${ranking.ranked.length} facilities`,
  ms(tSerial),
  `fixed ${ms(tFixed)} + ${((tSerial - tFixed) / 500).toFixed(2)} ms/draw`,
])

const workerMs: number[] = []
const workerUrl = new URL('./robustness-worker.ts', import.meta.url).href

/** Start the pool (as the app would, once) and wait until every worker is ready. */
async function startWorkers(): Promise<Worker[]> {
  return Promise.all(
    Array.from({ length: WORKERS }, () => {
      // Workers do not inherit tsx's loader hooks on Node 20: register them, then load the worker.
      const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}) })`
      const worker = new Worker(bootstrap, { eval: true })
      return new Promise<Worker>((resolve, reject) => {
        worker.once('message', () => resolve(worker))
        worker.once('error', reject)
      })
    }),
  )
}

async function runWorkers(pool: Worker[]): Promise<RobustnessPartial[]> {
  const per = Math.ceil(DRAWS / pool.length)
  return Promise.all(
    pool.map((worker, w) => {
      const drawStart = w * per
      const drawCount = Math.min(per, DRAWS - drawStart)
      return new Promise<RobustnessPartial>((resolve, reject) => {
        worker.once('message', (m: { partial: RobustnessPartial; ms: number }) => {
          workerMs.push(m.ms)
          resolve(m.partial)
        })
        worker.once('error', reject)
        worker.postMessage({ ...request, drawStart, drawCount })
      })
    }),
  )
}

let tStart = performance.now()
const pool = await startWorkers()
tStart = performance.now() - tStart
rows.push([`worker pool start (${WORKERS} threads; once per process)`, ms(tStart), ''])

const t0 = performance.now()
const parts = await runWorkers(pool)
const summary = summarizeRobustness(mergeRobustness(parts))
const tRobust = performance.now() - t0
for (const worker of pool) void worker.terminate()
sample()
const labels = { 'robust-in': 0, borderline: 0, 'robust-out': 0 }
for (const f of summary.facilities) labels[f.label]++
rows.push([
  `robustness, ${WORKERS} workers, ${DRAWS.toLocaleString('en')} draws (send, run, merge, summary)`,
  ms(tRobust),
  `target < 10 s; per worker ${workerMs.map((t) => (t / 1000).toFixed(1)).join(' / ')} s; ` +
    `in ${labels['robust-in']}, borderline ${labels.borderline}`,
])

let tSens = performance.now()
const sens = weightSensitivity(request, { topK: 130 })
tSens = performance.now() - tSens
const minTau = Math.min(...sens.map((c) => c.kendallTauB ?? 1))
rows.push([
  'weightSensitivity (6 domains × ±20 %, Kendall τ_b O(n log n))',
  ms(tSens),
  `min τ_b ${minTau.toFixed(3)}`,
])
sample()

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`
const maxRss = process.resourceUsage().maxRSS * 1024
rows.push([
  'peak memory (main thread + workers share one process)',
  `rss ${mb(maxRss)}`,
  `heapUsed ${mb(heapPeak)}`,
])

const w0 = Math.max(...rows.map((r) => r[0].length))
const w1 = Math.max(...rows.map((r) => r[1].length))
console.info(
  `\nscoring bench — ${COUNT.toLocaleString('en')} facilities × ${ITEMS} items, node ${process.version}\n`,
)
for (const [a, b, c] of rows) console.info(`| ${a.padEnd(w0)} | ${b.padStart(w1)} | ${c} |`)
console.info('')

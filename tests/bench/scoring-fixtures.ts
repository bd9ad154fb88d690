/**
 * Seeded synthetic data for the scoring bench: a 6-domain, 80-item model with
 * every rule type, and facilities with plausible answers (some N/A, some
 * "don't know", some blank). Shared by the bench and its worker threads.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import { parseScoringModel, type ScoringModel } from '../../scoring/model-schema.ts'

export const DOMAINS = 6
export const ITEMS = 80
export const PROVINCES = 34

const text = (en: string) => ({ vi: en, en })
const DOMAIN_WEIGHTS = [0.15, 0.2, 0.2, 0.2, 0.15, 0.1]

export type Kind = 'choice' | 'yesNo' | 'number' | 'percentage' | 'checklist'
const KINDS: Kind[] = ['choice', 'choice', 'yesNo', 'percentage', 'number', 'checklist']
const CHOICE_SCORES = [0, 0.25, 0.5, 0.75, 1]
const CHECK_OPTIONS = 5

export function kindOf(i: number): Kind {
  return KINDS[i % KINDS.length] ?? 'choice'
}

export function benchModel(): ScoringModel {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const domainId = `d${i % DOMAINS}`
    const perDomain = Math.ceil((ITEMS - (i % DOMAINS)) / DOMAINS)
    const kind = kindOf(i)
    const rule =
      kind === 'choice'
        ? {
            type: 'choice' as const,
            scores: Object.fromEntries(CHOICE_SCORES.map((s, k) => [`l${k}`, s])),
          }
        : kind === 'yesNo'
          ? { type: 'yesNo' as const }
          : kind === 'percentage'
            ? { type: 'percentage' as const, floor: 10, target: 90 }
            : kind === 'number'
              ? {
                  type: 'number' as const,
                  floor: 0,
                  target: 2,
                  unit: text('per 100 beds'),
                  per: { question: 'beds', unit: 100 },
                }
              : {
                  type: 'checklist' as const,
                  options: Array.from({ length: CHECK_OPTIONS }, (_, k) => `o${k}`),
                }
    return {
      id: `q${i}`,
      domainId,
      weight: 1 / perDomain,
      rule,
      allowNotApplicable: true,
      allowDontKnow: true,
      ...(kind === 'number' || kind === 'percentage' ? { statusQuestion: `q${i}_status` } : {}),
      rationale: text('bench'),
      source: 'bench',
      recommendation: text('bench'),
    }
  })
  // Fix floating sums: the last item of each domain takes the remainder.
  for (let d = 0; d < DOMAINS; d++) {
    const own = items.filter((it) => it.domainId === `d${d}`)
    const rest = own.slice(0, -1).reduce((a, it) => a + it.weight, 0)
    const last = own[own.length - 1]
    if (last) last.weight = 1 - rest
  }
  return parseScoringModel({
    id: 'bench-model',
    version: '1.0.0',
    title: text('bench'),
    questionnaireVersion: '1.0.0',
    completenessThreshold: 0.9,
    domains: DOMAIN_WEIGHTS.map((w, d) => ({
      id: `d${d}`,
      weight: w,
      title: text(`d${d}`),
      rationale: text('bench'),
    })),
    items,
    gates: [
      {
        id: 'G1',
        title: text('G1'),
        description: text('G1'),
        condition: { kind: 'item', itemId: 'q2', minScore: 1 },
        source: 'bench',
      },
    ],
    levels: [
      { id: 'R0', title: text('R0'), description: text('R0'), minComposite: 0, gateIds: [] },
      { id: 'R1', title: text('R1'), description: text('R1'), minComposite: 40, gateIds: ['G1'] },
    ],
  })
}

export interface Facility {
  facilityId: string
  code: string
  province: string
  answers: Record<string, unknown>
  /** Encoded answers for the plain Float64Array baseline: one row of ITEMS + 1 (beds). */
  encoded: Float64Array
}

/** Baseline codes: ≥ 0 value; −1 N/A; −2 don't know; NaN blank. */
export const NA = -1
export const DK = -2

function pick(rng: RandomGenerator, n: number): number {
  return Math.floor(uniformFloat64(rng) * n)
}

export function facilities(count: number, seed: number): Facility[] {
  const rng = xoroshiro128plus(seed)
  return Array.from({ length: count }, (_, f) => {
    const answers: Record<string, unknown> = {}
    const encoded = new Float64Array(ITEMS + 1)
    const quality = uniformFloat64(rng)
    const beds = 50 + pick(rng, 950)
    answers.beds = beds
    encoded[ITEMS] = beds
    for (let i = 0; i < ITEMS; i++) {
      const id = `q${i}`
      const r = uniformFloat64(rng)
      const kind = kindOf(i)
      const hasStatus = kind === 'number' || kind === 'percentage'
      if (r < 0.02) {
        if (hasStatus) answers[`${id}_status`] = 'na'
        else answers[id] = 'na'
        encoded[i] = NA
        continue
      }
      if (r < 0.04) {
        if (hasStatus) answers[`${id}_status`] = 'dontknow'
        else answers[id] = 'dontknow'
        encoded[i] = DK
        continue
      }
      if (r < 0.05) {
        encoded[i] = NaN
        continue
      }
      const good = Math.min(0.999, Math.max(0, quality + (uniformFloat64(rng) - 0.5) * 0.6))
      switch (kind) {
        case 'choice': {
          const k = Math.floor(good * CHOICE_SCORES.length)
          answers[id] = `l${k}`
          encoded[i] = k
          break
        }
        case 'yesNo':
          answers[id] = good > 0.5 ? 'yes' : 'no'
          encoded[i] = good > 0.5 ? 1 : 0
          break
        case 'percentage': {
          const v = Math.round(good * 100)
          answers[id] = v
          encoded[i] = v
          break
        }
        case 'number': {
          const v = Math.round(good * 30)
          answers[id] = v
          encoded[i] = v
          break
        }
        case 'checklist': {
          const chosen = Array.from({ length: CHECK_OPTIONS }, (_, k) => `o${k}`).filter(
            () => uniformFloat64(rng) < good,
          )
          answers[id] = chosen
          encoded[i] = chosen.length
          break
        }
      }
    }
    return {
      facilityId: `f${String(f).padStart(5, '0')}`,
      code: `BV${String(f).padStart(5, '0')}`,
      province: `p${String(f % PROVINCES).padStart(2, '0')}`,
      answers,
      encoded,
    }
  })
}

/**
 * The plain baseline: composites from pre-encoded answers in one Float64Array,
 * same rules and renormalisation, no objects.
 */
export function baselineComposites(
  model: ScoringModel,
  data: Float64Array,
  count: number,
): Float64Array {
  const stride = ITEMS + 1
  const weights = Float64Array.from(model.items, (it) => it.weight)
  const domainOf = Int32Array.from(model.items, (it) => Number(it.domainId.slice(1)))
  const order = ['choice', 'yesNo', 'percentage', 'number', 'checklist']
  const kinds = Int32Array.from(model.items, (it) => order.indexOf(it.rule.type))
  const W = Float64Array.from(model.domains, (d) => d.weight)
  const app = new Float64Array(DOMAINS)
  const sum = new Float64Array(DOMAINS)
  const out = new Float64Array(count)
  for (let f = 0; f < count; f++) {
    app.fill(0)
    sum.fill(0)
    const base = f * stride
    const beds = data[base + ITEMS] ?? 0
    for (let i = 0; i < ITEMS; i++) {
      const x = data[base + i] ?? NaN
      if (x === NA) continue
      const d = domainOf[i] ?? 0
      const w = weights[i] ?? 0
      app[d] = (app[d] ?? 0) + w
      if (x !== x || x === DK) continue
      let s: number
      switch (kinds[i]) {
        case 0:
          s = CHOICE_SCORES[x] ?? 0
          break
        case 1:
          s = x
          break
        case 2:
          s = (x - 10) / 80
          break
        case 3:
          s = beds > 0 ? x / (beds / 100) / 2 : 0
          break
        default:
          s = x / CHECK_OPTIONS
      }
      s = s < 0 ? 0 : s > 1 ? 1 : s
      sum[d] = (sum[d] ?? 0) + w * s
    }
    let total = 0
    for (let d = 0; d < DOMAINS; d++) if ((app[d] ?? 0) > 0) total += W[d] ?? 0
    let c = 0
    for (let d = 0; d < DOMAINS; d++) {
      const a = app[d] ?? 0
      if (a > 0) c += ((W[d] ?? 0) / total) * ((sum[d] ?? 0) / a)
    }
    out[f] = 100 * c
  }
  return out
}

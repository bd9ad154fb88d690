/**
 * Small hand-made scoring models for the engine's tests: they do not depend
 * on the real questionnaire model (db/content), which evolves on its own.
 */
import {
  parseScoringModel,
  type ScoringModel,
  type ScoringModelInput,
} from '../../../scoring/model-schema.ts'

const text = (en: string) => ({ vi: en, en })

type ItemInput = ScoringModelInput['items'][number]

export function item(
  id: string,
  domainId: string,
  weight: number,
  rule: ItemInput['rule'],
  extra: Partial<ItemInput> = {},
): ItemInput {
  return {
    id,
    domainId,
    weight,
    rule,
    rationale: text(`why ${id}`),
    source: 'test',
    recommendation: text(`improve ${id}`),
    ...extra,
  }
}

export function domain(id: string, weight: number): ScoringModelInput['domains'][number] {
  return { id, weight, title: text(id), rationale: text(`why ${id}`) }
}

export function gate(
  id: string,
  condition: ScoringModelInput['gates'][number]['condition'],
  extra: Partial<ScoringModelInput['gates'][number]> = {},
): ScoringModelInput['gates'][number] {
  return { id, title: text(id), description: text(id), condition, source: 'test', ...extra }
}

export function level(id: string, minComposite: number, gateIds: string[]) {
  return { id, title: text(id), description: text(id), minComposite, gateIds }
}

export function modelInput(parts: {
  domains: ScoringModelInput['domains']
  items: ScoringModelInput['items']
  gates?: ScoringModelInput['gates']
  levels?: ScoringModelInput['levels']
  completenessThreshold?: number
}): ScoringModelInput {
  return {
    id: 'test-model',
    version: '1.0.0',
    title: text('test model'),
    questionnaireVersion: '1.0.0',
    completenessThreshold: parts.completenessThreshold ?? 0.9,
    domains: parts.domains,
    items: parts.items,
    gates: parts.gates ?? [],
    levels: parts.levels ?? [level('R0', 0, [])],
  }
}

/**
 * The golden model: every rule type.
 * d_a (0.6): a_choice choice .5 | a_yes yesNo .3 | a_num IT staff per 100 beds .2 (0 → 0, 2 → 1)
 * d_b (0.4): b_pct % .25 (20 → 0, 80 → 1) | b_check checklist of 4 .25 |
 *            b_down downtime hours .5, lower is better (48 → 0, 0 → 1), N/A and don't know allowed
 * G1: a_yes ≥ 1; G2: domain d_b ≥ 0.5. Levels R0 0, R1 40 [G1], R2 60 [G1, G2].
 */
export const goldenModel: ScoringModel = parseScoringModel(
  modelInput({
    domains: [domain('d_a', 0.6), domain('d_b', 0.4)],
    items: [
      item('a_choice', 'd_a', 0.5, {
        type: 'choice',
        scores: { none: 0, partial: 0.5, full: 1 },
      }),
      item('a_yes', 'd_a', 0.3, { type: 'yesNo' }, { evidenceRequired: true }),
      item(
        'a_num',
        'd_a',
        0.2,
        {
          type: 'number',
          floor: 0,
          target: 2,
          unit: text('FTE per 100 beds'),
          per: { question: 'beds', unit: 100 },
        },
        { applicableIf: { question: 'has_inpatient', in: ['yes'] } },
      ),
      item('b_pct', 'd_b', 0.25, { type: 'percentage', floor: 20, target: 80 }),
      item('b_check', 'd_b', 0.25, {
        type: 'checklist',
        options: ['x', 'y', 'z', 'w'],
        noneValue: 'none',
      }),
      item(
        'b_down',
        'd_b',
        0.5,
        { type: 'number', floor: 48, target: 0, unit: text('hours') },
        { allowNotApplicable: true, allowDontKnow: true, statusQuestion: 'b_down_status' },
      ),
    ],
    gates: [
      gate('G1', { kind: 'item', itemId: 'a_yes', minScore: 1 }),
      gate('G2', { kind: 'domain', domainId: 'd_b', minScore: 0.5 }, { configurable: true }),
    ],
    levels: [level('R0', 0, []), level('R1', 40, ['G1']), level('R2', 60, ['G1', 'G2'])],
  }),
)

/** Answers giving composite 69.5 on the golden model (hand computation in score.test.ts). */
export const goldenAnswers: Record<string, unknown> = {
  a_choice: 'partial',
  a_yes: 'yes',
  has_inpatient: 'yes',
  a_num: 3,
  beds: 200,
  b_pct: 50,
  b_check: ['x', 'y', 'z'],
  b_down: 12,
}

/**
 * A model with one percentage item per domain and the given domain weights:
 * composite = Σ W_d · x_d (x in percent), convenient for ranking tests.
 */
export function percentModel(weights: number[], completenessThreshold = 0.9): ScoringModel {
  return parseScoringModel(
    modelInput({
      domains: weights.map((w, i) => domain(`d${i}`, w)),
      items: weights.map((_, i) => item(`q${i}`, `d${i}`, 1, { type: 'percentage' })),
      gates: [gate('G1', { kind: 'item', itemId: 'q0', minScore: 0.1 })],
      levels: [level('R0', 0, []), level('R1', 10, ['G1'])],
      completenessThreshold,
    }),
  )
}

/** Shuffle with a seeded LCG (tests only). */
export function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list]
  let s = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const j = s % (i + 1)
    const a = out[i]
    const b = out[j]
    if (a === undefined || b === undefined) continue
    out[i] = b
    out[j] = a
  }
  return out
}

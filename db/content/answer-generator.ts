/**
 * Deterministic answers for demo data: same questionnaire, model, seed and
 * profile → same answers, drawn with pure-rand's xoroshiro128plus (no
 * Math.random). Answers only use what the questionnaire offers (choice values,
 * number ranges) and respect its canonical `visibleIf`s: hidden questions get
 * no answer.
 *
 * How answers follow `readiness` (0..1):
 * - each item gets a latent score s = readiness + tier shift + a per-domain
 *   shift (σ 0.08) + item noise (σ 0.15), clamped to [0, 1]; the answer is the
 *   offered one whose score is nearest s (choices), yes with probability s
 *   (yes/no), each option with probability s (checklists), or the value that
 *   maps back to s through the item's goalposts (numbers, percentages);
 * - gate items pass with probability logistic((readiness + tier shift − t)/0.06),
 *   t per gate (`GATE_DIFFICULTY`): HIS is nearly universal, an approved
 *   security dossier is rare, so facilities spread over levels R0–R4 roughly
 *   as their readiness does;
 * - "don't know" appears with probability 0.12 · (1 − readiness) where allowed.
 *
 * A few facts are kept consistent (no dedicated IT staff → 0 IT FTE; no
 * e-signature → 0% signing; no HIS → EMR not live).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import type { Item, ScoringModel } from '../../scoring/model-schema.ts'
import { isVisible, listQuestions, offeredValues, type QuestionJson } from './questionnaire.ts'

export type Tier = 'central' | 'provincial' | 'basic'

export interface GeneratorProfile {
  /** 0 (far from ready) … 1 (ready). */
  readiness: number
  tier: Tier
  /** Defaults: always for central and provincial, 75% for basic facilities. */
  hasImaging?: boolean
  /**
   * What the registry says, when the answers should agree with it (as a
   * truthful facility's would): beds in use drawn around the planned beds,
   * the EMR stage within the registry's status, the Decree 60 group (or "not
   * applicable" for a private facility, outside Decree 60).
   */
  registry?: {
    beds: number
    emrStatus: 'none' | 'in_progress' | 'live'
    ownership: 'public' | 'private'
    autonomyGroup: number | null
  }
}

/** The questionnaire's EMR stages that fit each registry status. */
const EMR_STAGES: Record<'none' | 'in_progress' | 'live', string[]> = {
  none: ['not_started', 'preparing'],
  in_progress: ['preparing', 'pilot'],
  live: ['live_partial', 'live_paperless'],
}

type Answers = Record<string, unknown>

const TIER_SHIFT: Record<Tier, number> = { central: 0.06, provincial: 0, basic: -0.06 }

const BEDS: Record<Tier, [number, number]> = {
  central: [500, 2000],
  provincial: [150, 900],
  basic: [30, 250],
}

/** Readiness at which half of the facilities pass each gate. */
const GATE_DIFFICULTY: Record<string, number> = {
  G1: 0.25,
  G4: 0.3,
  G2: 0.45,
  G3: 0.5,
  G6: 0.55,
  G5: 0.62,
}

class Draw {
  private readonly rng: RandomGenerator
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed)
  }
  /** Uniform in [0, 1). */
  unit(): number {
    return uniformFloat64(this.rng)
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.unit()
    const v = this.unit()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }
  int(from: number, to: number): number {
    return from + Math.floor(this.unit() * (to - from + 1))
  }
  pick<T>(values: readonly T[]): T | undefined {
    return values[Math.floor(this.unit() * values.length)]
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))
const logistic = (x: number) => 1 / (1 + Math.exp(-x))

function pickByScore(draw: Draw, scored: [string, number][], target: number): string | undefined {
  let best: [string, number][] = []
  let bestDistance = Infinity
  for (const entry of scored) {
    const d = Math.abs(entry[1] - target)
    if (d < bestDistance - 1e-12) {
      best = [entry]
      bestDistance = d
    } else if (Math.abs(d - bestDistance) <= 1e-12) {
      best.push(entry)
    }
  }
  return draw.pick(best)?.[0]
}

function clampToQuestion(question: QuestionJson | undefined, x: number): number {
  return clamp(x, question?.min ?? -Infinity, question?.max ?? Infinity)
}

function answerProfile(
  draw: Draw,
  question: QuestionJson,
  profile: GeneratorProfile,
  readiness: number,
): unknown {
  const offered = offeredValues(question)
  switch (question.name) {
    case 'beds_in_use': {
      if (profile.registry) {
        // 70–110 % of the planned beds: wards rarely run above plan by much.
        const share = 0.7 + 0.4 * draw.unit()
        return clampToQuestion(question, Math.max(1, Math.round(profile.registry.beds * share)))
      }
      const [lo, hi] = BEDS[profile.tier]
      return clampToQuestion(question, draw.int(lo / 10, hi / 10) * 10)
    }
    case 'has_imaging': {
      const has = profile.hasImaging ?? (profile.tier !== 'basic' || draw.unit() < 0.75)
      return has ? 'yes' : 'no'
    }
    case 'emr_status': {
      if (profile.registry) {
        const stages = EMR_STAGES[profile.registry.emrStatus]
        const value = stages[clamp(Math.floor(readiness * 2 + draw.normal() * 0.3), 0, 1)]
        return value !== undefined && offered.includes(value) ? value : draw.pick(offered)
      }
      const stages = ['not_started', 'preparing', 'pilot', 'live_partial', 'live_paperless']
      const index = clamp(Math.floor((readiness + draw.normal() * 0.1) * 5), 0, 4)
      const value = stages[index]
      return value !== undefined && offered.includes(value) ? value : draw.pick(offered)
    }
    case 'his_vendor_name':
      return undefined // optional free text: left empty in demo data
    default:
      return offered.length > 0 ? draw.pick(offered) : undefined
  }
}

function evidenceText(draw: Draw): string {
  const number = draw.int(12, 480)
  const day = String(draw.int(1, 28)).padStart(2, '0')
  const month = String(draw.int(1, 12)).padStart(2, '0')
  const year = draw.int(2019, 2025)
  const kind = draw.pick(['Quyết định', 'Biên bản', 'Công văn', 'Báo cáo']) ?? 'Quyết định'
  return `${kind} số ${number}/BV ngày ${day}/${month}/${year}, lưu tại phòng Kế hoạch tổng hợp`
}

interface ItemContext {
  item: Item
  question: QuestionJson
  latent: number
  gate: { pass: boolean; minScore: number } | undefined
  answers: Answers
}

function answerItem(draw: Draw, ctx: ItemContext): void {
  const { item, question, latent, gate, answers } = ctx
  const rule = item.rule
  const offered = offeredValues(question)
  switch (rule.type) {
    case 'choice': {
      let scored = Object.entries(rule.scores).filter(([v]) => offered.includes(v))
      if (gate) {
        const side = scored.filter(([, s]) => s >= gate.minScore === gate.pass)
        if (side.length > 0) scored = side
      }
      const value = pickByScore(draw, scored, latent)
      if (value !== undefined) answers[item.id] = value
      return
    }
    case 'yesNo': {
      const yes = gate ? gate.pass : draw.unit() < latent
      answers[item.id] = yes ? 'yes' : 'no'
      return
    }
    case 'checklist': {
      const picked = rule.options.filter((o) => offered.includes(o) && draw.unit() < latent)
      if (picked.length > 0) answers[item.id] = picked
      else if (rule.noneValue && offered.includes(rule.noneValue))
        answers[item.id] = [rule.noneValue]
      return
    }
    case 'percentage':
    case 'number': {
      let x = rule.floor + latent * (rule.target - rule.floor)
      if (rule.type === 'number' && rule.per) {
        const denominator = answers[rule.per.question]
        if (typeof denominator !== 'number') return
        x *= denominator / rule.per.unit
      }
      const spread = Math.abs(rule.target - rule.floor) * 0.05
      const value = Math.round(clampToQuestion(question, x + draw.normal() * spread))
      answers[item.id] = rule.type === 'percentage' ? clamp(value, 0, 100) : value
      return
    }
  }
}

function makeConsistent(answers: Answers): void {
  if (answers.it_staff_dedicated === 'no' && typeof answers.it_staff_fte === 'number') {
    answers.it_staff_fte = 0
  }
  if (answers.it_staff_dedicated === 'yes' && answers.it_staff_fte === 0) answers.it_staff_fte = 1
  if (answers.esign_available === 'no' && typeof answers.esign_coverage_pct === 'number') {
    answers.esign_coverage_pct = 0
  }
  if (answers.esign_available === 'yes' && answers.esign_coverage_pct === 0) {
    answers.esign_coverage_pct = 5
  }
  if (
    answers.his_live_inpatient_outpatient === 'no' &&
    (answers.emr_status === 'live_partial' || answers.emr_status === 'live_paperless')
  ) {
    answers.emr_status = 'preparing'
  }
}

/**
 * Generates one facility's answers.
 * @param completeness share of scored items answered (default 1); profile
 *   questions are always answered.
 * @example generateAnswers(questionnaireV1, scoringModelV1, 42, { readiness: 0.8, tier: 'central' })
 */
export function generateAnswers(
  questionnaire: unknown,
  model: ScoringModel,
  seed: number,
  profile: GeneratorProfile,
  completeness = 1,
): Record<string, unknown> {
  const draw = new Draw(seed)
  const readiness = clamp(profile.readiness, 0, 1)
  const base = readiness + TIER_SHIFT[profile.tier]
  const questions = listQuestions(questionnaire)
  const byName = new Map(questions.map((q) => [q.name, q]))
  const items = new Map(model.items.map((i) => [i.id, i]))
  const domainShift = new Map(model.domains.map((d) => [d.id, draw.normal() * 0.08]))
  const gateOf = new Map<string, { id: string; minScore: number }>()
  for (const g of model.gates) {
    if (g.condition.kind === 'item') {
      gateOf.set(g.condition.itemId, { id: g.id, minScore: g.condition.minScore })
    }
  }
  const statusNames = new Set(
    model.items.flatMap((i) => (i.statusQuestion ? [i.statusQuestion] : [])),
  )
  const { notApplicable, dontKnow } = model.tokens
  const answers: Answers = {}

  for (const question of questions) {
    if (!isVisible(question, answers)) continue
    const item = items.get(question.name)
    if (!item) {
      if (statusNames.has(question.name)) continue // set together with its item
      if (question.type === 'comment' || question.type === 'text') {
        if (question.name.endsWith('__evidence_ref')) {
          if (draw.unit() < 0.9) answers[question.name] = evidenceText(draw)
          continue
        }
      }
      const value = answerProfile(draw, question, profile, readiness)
      if (value !== undefined) answers[question.name] = value
      continue
    }
    if (draw.unit() >= completeness) continue

    const statusQuestion = item.statusQuestion ? byName.get(item.statusQuestion) : undefined
    const offered = offeredValues(question)
    if (item.allowNotApplicable && offered.includes(notApplicable) && draw.unit() < 0.05) {
      answers[item.id] = notApplicable
      continue
    }
    if (item.allowDontKnow && draw.unit() < 0.12 * (1 - readiness)) {
      if (offered.includes(dontKnow)) {
        answers[item.id] = dontKnow
        continue
      }
      if (statusQuestion && offeredValues(statusQuestion).includes(dontKnow)) {
        answers[statusQuestion.name] = dontKnow
        continue
      }
    }
    const gateRef = gateOf.get(item.id)
    const gate = gateRef
      ? {
          pass: draw.unit() < logistic((base - (GATE_DIFFICULTY[gateRef.id] ?? 0.5)) / 0.06),
          minScore: gateRef.minScore,
        }
      : undefined
    const latent = clamp(base + (domainShift.get(item.domainId) ?? 0) + draw.normal() * 0.15, 0, 1)
    answerItem(draw, { item, question, latent, gate, answers })
  }

  makeConsistent(answers)
  const registry = profile.registry
  if (registry && 'autonomy_group' in answers) {
    const group = registry.autonomyGroup
    if (registry.ownership === 'private') answers.autonomy_group = notApplicable
    else if (group !== null) answers.autonomy_group = `group_${group}`
  }
  // A later answer can hide an earlier question (never in v1, but cheap to guard).
  for (const question of questions) {
    if (question.name in answers && !isVisible(question, answers)) delete answers[question.name]
  }
  return answers
}

/**
 * The published method, written once from the models' data: the priority
 * formulas with every input's source, the minimum level, the tie-break
 * chain, the wave method, the domain floors, the level basis and the answer
 * rules. The methodology page and the XLSX methodology sheet both print
 * these lines, so the two can never disagree with each other or the code.
 */
import type { TFunction } from 'i18next'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { PriorityModel } from '../../scoring/priority.ts'
import type { Locale } from '../i18n.ts'
import { localized } from '../utils/localized.ts'
import { formatNumber } from '../utils/number-format.ts'

export type MethodKind =
  'priority' | 'need' | 'feasibility' | 'ranking' | 'floor' | 'levelBasis' | 'rule'

export interface MethodLine {
  kind: MethodKind
  id: string
  title: string
  /** A weight, a threshold or a question; null when the line is prose only. */
  value: number | string | null
  detail: string
}

/**
 * Every line of the published method in the reader's language. `question`
 * names a questionnaire question (its title where the caller knows it).
 */
export function publishedMethod(
  model: ScoringModel,
  priority: PriorityModel,
  language: { locale: Locale; t: TFunction },
  question: (name: string) => string = (name) => name,
): MethodLine[] {
  const { locale, t } = language
  const n = (x: number) => formatNumber(x, locale, 0, 2)
  const m = (key: string, values?: Record<string, string>) =>
    values ? t(`methodology:${key}`, values) : t(`methodology:${key}`)
  const { need, feasibility, answers } = priority
  const domainTitle = new Map(model.domains.map((d) => [d.id, localized(d.title, locale)]))
  const lines: MethodLine[] = [
    {
      kind: 'priority',
      id: 'priority',
      title: m('priority.title'),
      value: `${priority.id} ${priority.version}`,
      detail: `${m('priority.formula')} ${m('priority.unknown')}`,
    },
  ]
  const needTerms: Array<[keyof typeof need.weights, Record<string, string>]> = [
    [
      'beds',
      {
        floor: n(need.beds.floor),
        target: n(need.beds.target),
        question: question(answers.bedsInUse),
      },
    ],
    ['deadline', { inPlace: answers.emrInPlace.join(', '), question: question(answers.emrStage) }],
    [
      'technicalLevel',
      {
        specialised: n(need.technicalLevel.specialised),
        basic: n(need.technicalLevel.basic),
        initial: n(need.technicalLevel.initial),
      },
    ],
    [
      'referralRole',
      Object.fromEntries(Object.entries(need.referralRole).map(([k, v]) => [k, n(v)])),
    ],
  ]
  for (const [term, values] of needTerms) {
    lines.push({
      kind: 'need',
      id: `need.${term}`,
      title: m('priority.need'),
      value: need.weights[term],
      detail: m(`priority.terms.${term}`, values),
    })
  }
  const f = feasibility
  const feasibilityTerms: Array<[keyof typeof f.weights, string, Record<string, string>]> = [
    [
      'budget',
      'budget',
      {
        floor: n(f.budgetSecuredPct.floor),
        target: n(f.budgetSecuredPct.target),
        question: question(answers.budgetSecuredPct),
      },
    ],
    [
      'autonomy',
      'autonomy',
      {
        g1: n(f.autonomyGroup[1]),
        g2: n(f.autonomyGroup[2]),
        g3: n(f.autonomyGroup[3]),
        g4: n(f.autonomyGroup[4]),
      },
    ],
    [
      'hisCompatibility',
      'hisCompatibility',
      { items: f.hisCompatibility.items.map((i) => `"${question(i)}"`).join(', ') },
    ],
  ]
  for (const [weight, term, values] of feasibilityTerms) {
    lines.push({
      kind: 'feasibility',
      id: `feasibility.${term}`,
      title: m('priority.feasibility'),
      value: f.weights[weight],
      detail: m(`priority.terms.${term}`, values),
    })
  }
  for (const key of ['minLevel', 'tieBreak', 'method'] as const) {
    lines.push({
      kind: 'ranking',
      id: key,
      title: m('ranking.title'),
      value: null,
      detail: m(`ranking.${key}`),
    })
  }
  for (const level of model.levels) {
    const floors = level.domainFloors
    if (!floors) continue
    const parts = [
      ...(floors.all !== undefined ? [m('levels.floor', { all: n(100 * floors.all) })] : []),
      ...Object.entries(floors.domains ?? {}).map(([id, min]) =>
        m('levels.floorDomain', { domain: domainTitle.get(id) ?? id, min: n(100 * min) }),
      ),
    ]
    lines.push({
      kind: 'floor',
      id: level.id,
      title: localized(level.title, locale),
      value: null,
      detail: `${parts.join('; ')}. ${m('levels.floorsWhy')}`,
    })
  }
  lines.push({
    kind: 'levelBasis',
    id: model.levelBasis ?? 'composite',
    title: `${model.id} ${model.version}`,
    value: null,
    detail: m(`formulas.levelBasis.${model.levelBasis ?? 'composite'}`),
  })
  for (const rule of model.answerRules ?? []) {
    lines.push({
      kind: 'rule',
      id: rule.id,
      title: m(`dataQuality.${rule.effect}`),
      value: question(rule.question),
      detail: `${localized(rule.message, locale)} (${rule.source})`,
    })
  }
  return lines
}

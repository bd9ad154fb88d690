/**
 * The roadmap's own parameters, beside the planner's (round, basis,
 * objective, minimum level, capacity and budget per period, costs, quotas:
 * `WaveParamsSchema`, parsed from the same URL so the two pages read them one
 * way): the periods (kind, count, start), the budget scenarios, the cost mode
 * and the uplift rule.
 */
import * as z from 'zod'
import type { Locale } from '../i18n.ts'
import { zodMessages } from '../utils/zod-messages.server.ts'
import { parseCostLines, parseWaveParams, type WaveParams } from './wave-params.server.ts'

/** Two to four budget scenarios side by side (the issue's "500 bn/year vs 1,000 bn/year"). */
export const MAX_SCENARIOS = 4

const MONTHS: Record<'quarter' | 'year', number> = { quarter: 3, year: 12 }

/** "500, 1000" or "500 1000": budgets per period in billion VND; bad entries are returned, never skipped. */
export function parseBudgetList(text: string): { budgets: number[]; bad: string[] } {
  const budgets: number[] = []
  const bad: string[] = []
  for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
    if (/^\d{1,7}$/.test(part)) budgets.push(Number(part))
    else bad.push(part)
  }
  return { budgets, bad }
}

function isIsoDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

export const RoadmapParamsSchema = z
  .object({
    periodKind: z.enum(['quarter', 'year']).default('year'),
    periods: z.coerce.number().int().min(1).max(40).default(4),
    /** The first day of the first period, YYYY-MM-DD, the first of a month. */
    start: z.string().refine((v) => /^\d{4}-\d{2}-01$/.test(v) && isIsoDay(v), {
      params: { key: 'waves:roadmap.params.start' },
    }),
    /** Budget scenarios (billion VND per period); blank: the one budget of the planner's field. */
    budgets: z.string().max(200).default(''),
    /** Equal: every facility costs the default; per facility: the cost lines apply. */
    costMode: z.enum(['equal', 'perFacility']).default('equal'),
    /** Periods between funding a below-level facility's uplift and its rollout. */
    upliftLead: z.coerce.number().int().min(0).max(40).default(1),
    /** Pay uplifts from the period's rollout budget (else from a separate support budget). */
    upliftFromBudget: z.enum(['on']).optional(),
    /** The planner's field, read here only to check it against the cost mode. */
    costs: z.string().default(''),
  })
  .superRefine((p, ctx) => {
    const { budgets, bad } = parseBudgetList(p.budgets)
    for (const part of bad) {
      ctx.addIssue({
        code: 'custom',
        path: ['budgets'],
        params: { key: 'waves:roadmap.params.budgetEntry', values: { entry: part.slice(0, 20) } },
      })
    }
    if (bad.length === 0 && budgets.length > 0 && (budgets.length < 2 || budgets.length > 4)) {
      ctx.addIssue({
        code: 'custom',
        path: ['budgets'],
        params: { key: 'waves:roadmap.params.budgetCount', values: { max: MAX_SCENARIOS } },
      })
    }
    if (new Set(budgets).size !== budgets.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['budgets'],
        params: { key: 'waves:roadmap.params.budgetTwice' },
      })
    }
    // A field that would be silently ignored is refused instead.
    const lines = parseCostLines(p.costs).costs.size
    if (p.costMode === 'equal' && lines > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['costMode'],
        params: { key: 'waves:roadmap.params.equalWithLines' },
      })
    }
    if (p.costMode === 'perFacility' && lines === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['costMode'],
        params: { key: 'waves:roadmap.params.perFacilityWithoutLines' },
      })
    }
  })
export type RoadmapParams = z.infer<typeof RoadmapParamsSchema>

/**
 * The first day of the period after today's (quarter or year), the start a
 * blank field means: the roadmap schedules what is still to come.
 * @example nextPeriodStart('2026-12-03', 'quarter') // '2027-01-01'
 */
export function nextPeriodStart(today: string, kind: 'quarter' | 'year'): string {
  const year = Number(today.slice(0, 4))
  if (kind === 'year') return `${year + 1}-01-01`
  const month = Number(today.slice(5, 7))
  const next = Math.floor((month - 1) / 3) * 3 + 4
  return next > 12 ? `${year + 1}-01-01` : `${year}-${String(next).padStart(2, '0')}-01`
}

/**
 * The roadmap's parameters from the URL; blank fields mean the default, and
 * a blank start is the first day of the period after `today` (Vietnam).
 * Refusals are worded in `locale`.
 */
export function parseRoadmapParams(search: URLSearchParams, locale: Locale, today: string) {
  const given = Object.fromEntries([...search].filter(([, v]) => v.trim() !== ''))
  const kind = given.periodKind === 'quarter' ? 'quarter' : 'year'
  return RoadmapParamsSchema.safeParse(
    { start: nextPeriodStart(today, kind), ...given },
    { error: zodMessages(locale) },
  )
}

/**
 * The periods from the parameters: period k (0-based) ends the day before
 * start + (k + 1)·3 or 12 months; ids are the period's number from 1.
 * @example periodsOf({ periodKind: 'year', periods: 2, start: '2027-01-01' })
 * // [{ id: '1', end: '2027-12-31' }, { id: '2', end: '2028-12-31' }]
 */
export function periodsOf(
  p: Pick<RoadmapParams, 'periodKind' | 'periods' | 'start'>,
): Array<{ id: string; end: string }> {
  const [y = 0, m = 1] = p.start.split('-').map(Number)
  const step = MONTHS[p.periodKind]
  return Array.from({ length: p.periods }, (_, k) => {
    // Day 0 of the month after the period is its last day.
    const end = new Date(Date.UTC(y, m - 1 + (k + 1) * step, 0))
    return { id: String(k + 1), end: end.toISOString().slice(0, 10) }
  })
}

/** The budgets of the scenarios, billion VND per period: the list, else the one budget. */
export function scenarioBudgets(p: RoadmapParams, budgetBn: number): number[] {
  const { budgets } = parseBudgetList(p.budgets)
  return budgets.length > 0 ? budgets : [budgetBn]
}

type FieldErrors = Record<string, string[] | undefined>

/**
 * Both parameter sets from one URL: the planner's (`parseWaveParams`) and
 * the roadmap's; every refusal of either is listed by field.
 */
export function parseRoadmapSearch(
  search: URLSearchParams,
  locale: Locale,
  today: string,
):
  | { success: true; data: { wave: WaveParams; roadmap: RoadmapParams } }
  | { success: false; fieldErrors: FieldErrors } {
  const wave = parseWaveParams(search, locale)
  const roadmap = parseRoadmapParams(search, locale, today)
  if (wave.success && roadmap.success) {
    return { success: true, data: { wave: wave.data, roadmap: roadmap.data } }
  }
  const fieldErrors: FieldErrors = {}
  for (const errors of [
    wave.success ? {} : z.flattenError(wave.error).fieldErrors,
    roadmap.success ? {} : z.flattenError(roadmap.error).fieldErrors,
  ] as FieldErrors[]) {
    for (const [key, list] of Object.entries(errors)) {
      if (list) fieldErrors[key] = [...(fieldErrors[key] ?? []), ...list]
    }
  }
  return { success: false, fieldErrors }
}

/**
 * What the planner and run pages send to the browser: the lists as the
 * Ministry works with them, capped so a national plan stays a small page
 * (the files hold every row).
 */
import type { Locale } from '../i18n.ts'
import { localized } from '../utils/localized.ts'
import type { WavePlan } from './planner.server.ts'

const LIST_LIMIT = 200
const SUPPORT_LIMIT = 30

export function planView(plan: WavePlan, locale: Locale) {
  const selected = plan.rows.filter((r) => r.selected)
  const excluded = plan.rows.filter((r) => r.exclusions.length > 0)
  const domainTitle = new Map(plan.model.domains.map((d) => [d.id, localized(d.title, locale)]))
  // "Needs support": the best scores among facilities not yet eligible, with what holds them back.
  const support = plan.rows
    .filter((r) => r.holdingBack.length > 0)
    .sort((a, b) => b.compositeBp - a.compositeBp || a.facilityId - b.facilityId)
    .slice(0, SUPPORT_LIMIT)
    .map((r) => ({ ...r, holdingBack: r.holdingBack.map((d) => domainTitle.get(d) ?? d) }))
  const ties = new Set(plan.result.feasible ? plan.result.tiesAtCutoff : [])
  return {
    round: plan.round,
    model: `${plan.model.id} ${plan.model.version}`,
    inputHash: plan.inputHash,
    params: plan.params,
    result: plan.result,
    budgetVnd: plan.budgetVnd,
    robustness: plan.robustness,
    selected: selected.slice(0, LIST_LIMIT),
    selectedCount: selected.length,
    support,
    excluded: excluded.slice(0, LIST_LIMIT),
    excludedCount: excluded.length,
    /** Codes of the facilities tied at the cut-off, for the summary. */
    tieCodes: plan.rows.filter((r) => ties.has(String(r.facilityId))).map((r) => r.code),
    rowCount: plan.rows.length,
  }
}

export type PlanView = ReturnType<typeof planView>

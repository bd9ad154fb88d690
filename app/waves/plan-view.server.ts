/**
 * What the planner and run pages send to the browser: the lists as the
 * Ministry works with them, capped so a national plan stays a small page
 * (the files hold every row).
 */
import type { WaveConflict } from '../../scoring/wave.ts'
import type { Locale } from '../i18n.ts'
import { localized } from '../utils/localized.ts'
import type { WavePlan } from './planner.server.ts'

const LIST_LIMIT = 200
const SUPPORT_LIMIT = 30
const NEXT_LIMIT = 30
const BILLION = 1_000_000_000

/**
 * The engine's conflicts with their quotas split into family and key and the
 * province named, so a page can explain them in the reader's language (the
 * planner's infeasible wave, a roadmap's infeasible period).
 */
export function conflictViews(
  conflicts: readonly WaveConflict[],
  provinceName: ReadonlyMap<string, string>,
) {
  return conflicts.map((c) => ({
    kind: c.kind,
    figures: c.figures,
    quotas: c.quotas.map((q) => {
      const [family = '', key = ''] = q.split(':')
      return { family, key, name: family === 'province' ? (provinceName.get(key) ?? key) : key }
    }),
  }))
}

/**
 * The binding constraints grouped by kind, ready to print: province codes as
 * names, budget in billion VND (the engine works in VND).
 */
function bindingGroups(plan: WavePlan) {
  if (!plan.result.feasible) return []
  const provinceName = new Map(plan.rows.map((r) => [r.province, r.provinceName]))
  const groups = new Map<string, Array<{ key: string | null; value: number; limit: number }>>()
  for (const b of plan.result.binding) {
    const scale = b.constraint === 'budget' ? BILLION : 1
    const key =
      'key' in b
        ? b.constraint.startsWith('province')
          ? (provinceName.get(b.key) ?? b.key)
          : b.key
        : null
    const list = groups.get(b.constraint) ?? []
    list.push({ key, value: b.value / scale, limit: b.limit / scale })
    groups.set(b.constraint, list)
  }
  return [...groups].map(([constraint, items]) => ({ constraint, items }))
}

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
  // Next in line: eligible and ranked, left out by capacity, budget or quotas.
  const next = plan.rows.filter((r) => r.rank !== null && !r.selected).slice(0, NEXT_LIMIT)
  const ties = new Set(plan.result.feasible ? plan.result.tiesAtCutoff : [])
  const inWave = new Set(selected.map((r) => r.facilityId))
  const spent = plan.support ?? null
  return {
    round: plan.round,
    model: `${plan.model.id} ${plan.model.version}`,
    priorityModel: plan.priorityModel
      ? `${plan.priorityModel.id} ${plan.priorityModel.version}`
      : null,
    /** The answer rules rows may be marked with, in the reader's language. */
    rules: (plan.model.rules ?? []).map((r) => ({
      id: r.id,
      effect: r.effect,
      message: localized(r.message, locale),
    })),
    flaggedCount: plan.rows.filter((r) => r.dataQuality.length > 0).length,
    domains: plan.model.domains.map((d) => ({ id: d.id, title: localized(d.title, locale) })),
    binding: bindingGroups(plan),
    conflicts: plan.result.feasible
      ? []
      : conflictViews(
          plan.result.conflicts,
          new Map(plan.rows.map((r) => [r.province, r.provinceName])),
        ),
    inputHash: plan.inputHash,
    params: plan.params,
    result: plan.result,
    budgetVnd: plan.budgetVnd,
    /** The support budget spent before the wave; null without the option. */
    supportSpent: spent && {
      budgetVnd: spent.budgetVnd,
      spentVnd: spent.spentVnd,
      costTable: spent.costTable.version,
      candidates: spent.candidates,
      lifted: spent.lifted.map((f) => ({
        code: f.code,
        name: f.name,
        provinceName: f.provinceName,
        levelId: f.levelId,
        costVnd: f.costVnd,
        actions: f.actions.map((a) => localized(a.name, locale)),
        selected: inWave.has(f.facilityId),
      })),
    },
    robustness: plan.robustness,
    selected: selected.slice(0, LIST_LIMIT),
    selectedCount: selected.length,
    support,
    next,
    excluded: excluded.slice(0, LIST_LIMIT),
    excludedCount: excluded.length,
    /** Codes of the facilities tied at the cut-off, for the summary. */
    tieCodes: plan.rows.filter((r) => ties.has(String(r.facilityId))).map((r) => r.code),
    rowCount: plan.rows.length,
  }
}

export type PlanView = ReturnType<typeof planView>

/**
 * The support-curve page (`/waves/support`): what its loader shows for the
 * URL's parameters. A province reviewer sees their province's curve; the
 * ministry sees every province's totals and, for the province it picks, the
 * curve. The route only guards, limits and responds.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { getI18n, type Locale } from '../i18n.ts'
import { listProvinces } from '../models/facility.server.ts'
import { listRounds } from '../models/round.server.ts'
import { facilityFilterFor, type FacilityFilter, type SessionUser } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { levelChoices } from './planner-page.server.ts'
import { parseSupportSearch } from './support-params.server.ts'
import { buildSupportCurves, spendOnCurve, type SupportCurves } from './support.server.ts'
import { supportBudgetVnd } from './wave-params.server.ts'
import { paramIssueErrors, type FieldErrors } from './planner.server.ts'

/**
 * What the page sends to the browser: each province's totals, and the one
 * province's curve with its steps, action names in the reader's language.
 */
function supportView(
  support: SupportCurves,
  budgetVnd: number | null,
  detailed: string | null,
  locale: Locale,
) {
  const actionName = (id: string) => {
    const name = support.costTable.actionNames[id]
    return name ? localized(name, locale) : id
  }
  const provinces = support.provinces.map((p) => ({
    code: p.code,
    name: p.name,
    facilities: p.facilities,
    atLevel: p.atLevel,
    onCurve: p.curve.length,
    unreachable: p.unreachable.length,
    notEligible: p.notEligible.length,
    /** Support that lifts every facility of the curve. */
    totalVnd: p.curve.at(-1)?.cumulativeVnd ?? 0,
    budget: budgetVnd === null ? null : spendOnCurve(p.curve, budgetVnd),
  }))
  const one = support.provinces.find((p) => p.code === detailed)
  return {
    round: support.round,
    model: support.model,
    costTable: { id: support.costTable.id, version: support.costTable.version },
    minLevel: support.params.minLevel,
    basis: support.params.basis,
    inputHash: support.inputHash,
    budgetVnd,
    provinces,
    detail: one
      ? {
          code: one.code,
          name: one.name,
          steps: one.curve.map((s) => ({
            cumulativeVnd: s.cumulativeVnd,
            lifted: s.lifted,
            code: s.facility.code,
            name: s.facility.name,
            levelId: s.facility.levelId,
            costVnd: s.costVnd,
            actions: s.actions.map(actionName),
            exact: s.exact,
          })),
          unreachable: one.unreachable,
          notEligible: one.notEligible,
          budget: budgetVnd === null ? null : spendOnCurve(one.curve, budgetVnd),
        }
      : null,
  }
}
export type SupportView = ReturnType<typeof supportView>

/**
 * Everything the page shows. Computing never writes: the page is a GET form,
 * so a curve is a shareable URL.
 */
export async function getSupportPage(
  db: Kysely<Database>,
  user: SessionUser,
  search: URLSearchParams,
  locale: Locale,
) {
  const today = todayInVietnam()
  const scope = facilityFilterFor(user)
  const provinces = await listProvinces(db, scope)
  const base = {
    rounds: await listRounds(db),
    // A province reviewer has one province: theirs, shown, not chosen.
    provinces: scope.kind === 'all' ? provinces : [],
    ownProvince: scope.kind === 'province' ? (provinces[0] ?? null) : null,
    values: Object.fromEntries(search),
  }
  const empty = async (fieldErrors: FieldErrors, missing: string | null) => ({
    ...base,
    levels: await levelChoices(db, undefined, locale, today),
    fieldErrors,
    missing,
    support: null,
  })
  const parsed = parseSupportSearch(search, locale)
  if (!parsed.success) return empty(parsed.fieldErrors, null)
  const { wave, support: asked } = parsed.data
  const t = getI18n(locale).t
  if (asked.province !== undefined && !provinces.some((p) => p.code === asked.province)) {
    return empty(
      {
        province: [
          t(
            scope.kind === 'all'
              ? 'waves:support.params.unknownProvince'
              : 'waves:support.params.outsideScope',
            { code: asked.province },
          ),
        ],
      },
      null,
    )
  }
  const filter: FacilityFilter =
    scope.kind === 'all' && asked.province !== undefined
      ? { kind: 'province', provinceCode: asked.province }
      : scope
  const built = await buildSupportCurves(db, filter, wave, today)
  if ('missing' in built) return empty({}, built.missing)
  if ('invalid' in built) {
    const fieldErrors = paramIssueErrors(built.invalid, locale)
    return empty(fieldErrors, null)
  }
  return {
    ...base,
    levels: await levelChoices(db, built.support.model.rowId, locale, today),
    fieldErrors: {},
    missing: null,
    support: supportView(
      built.support,
      asked.supportBn === undefined ? null : supportBudgetVnd(asked.supportBn),
      filter.kind === 'province' ? filter.provinceCode : null,
      locale,
    ),
  }
}

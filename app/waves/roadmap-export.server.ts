/**
 * Exports of a saved roadmap scenario set, with the wave exports'
 * conventions: CSV through `toCsv` (UTF-8 with BOM, RFC 4180, numbers as
 * numbers, formula-injection escaping) and XLSX (exceljs: typed text cells,
 * frozen header and filters, a parameters sheet and a methodology sheet,
 * zip entries dated at the set's creation). Both are functions of the stored
 * set alone, so the same set gives the same bytes on every download.
 */
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { RemedialCostTable } from '../../scoring/uplift.ts'
import type { Cell } from '../utils/csv.ts'
import { toCsv } from '../utils/csv.ts'
import { localized } from '../utils/localized.ts'
import type { ExportLanguage } from './export.server.ts'
import { publishedMethod } from './method.server.ts'
import { missReasonText } from './roadmap-reasons.ts'
import type { Roadmap } from './roadmap.server.ts'
import { addMethodologySheet, addParametersSheet, streamWorkbook } from './xlsx-writer.server.ts'

/** Dates stay YYYY-MM-DD in the files, as in the other exports: sortable and unambiguous. */
const iso = (d: string) => d

const COLUMNS = [
  'scenario_budget_bn',
  'code',
  'facility',
  'province_code',
  'province',
  'tier',
  'facility_class',
  'level',
  'meets_min_level',
  'uplift_cost_vnd',
  'uplift_actions',
  'period',
  'period_end',
  'misses_deadline',
  'misses_hospital_deadline',
  'reason',
] as const

/**
 * One row per scenario and facility, in scenario order then code order:
 * where and when the facility is scheduled, its uplift, and whether it
 * misses each deadline (blank where a deadline does not apply) with why.
 */
export function roadmapTable(
  roadmap: Roadmap,
  language: ExportLanguage,
): { header: string[]; rows: Cell[][] } {
  const { t } = language
  const header = COLUMNS.map((c) =>
    c === 'misses_deadline'
      ? t('waves:roadmap.file.columns.misses_deadline', { date: roadmap.round.deadlines.other })
      : c === 'misses_hospital_deadline'
        ? t('waves:roadmap.file.columns.misses_hospital_deadline', {
            date: roadmap.round.deadlines.hospital,
          })
        : t(`waves:roadmap.file.columns.${c}`),
  )
  const rows: Cell[][] = []
  for (const s of roadmap.scenarios) {
    const periodOf = new Map<number, { id: string; end: string }>()
    const missing = new Map<string, Map<number, string>>()
    if (s.feasible) {
      for (const p of s.periods) for (const id of p.facilityIds) periodOf.set(id, p)
      for (const d of s.deadlines) {
        missing.set(
          d.scope,
          new Map(d.missing.map((m) => [m.facilityId, missReasonText(m.reason, t, iso)])),
        )
      }
    }
    for (const f of roadmap.facilities) {
      const period = periodOf.get(f.facilityId)
      const all = missing.get('all')?.get(f.facilityId)
      const hospital = missing.get('hospital')?.get(f.facilityId)
      rows.push([
        s.budgetBn,
        f.code,
        f.name,
        f.provinceCode,
        f.provinceName,
        t(`common:tiers.${f.tier}`),
        f.facilityClass,
        f.levelId,
        f.meetsMinLevel,
        f.upliftCostVnd,
        f.upliftActions.join(' '),
        period?.id ?? null,
        period?.end ?? null,
        s.feasible ? all !== undefined : null,
        s.feasible && f.facilityClass === 'hospital' ? hospital !== undefined : null,
        all ?? hospital ?? (s.feasible ? null : t('waves:roadmap.file.infeasible')),
      ])
    }
  }
  return { header, rows }
}

export function roadmapCsv(roadmap: Roadmap, language: ExportLanguage): string {
  const { header, rows } = roadmapTable(roadmap, language)
  return toCsv([header, ...rows])
}

/** Everything needed to reproduce the set. */
function roadmapParameters(
  roadmap: Roadmap,
  source: { id: number; name: string; createdAt: string },
): Array<[string, Cell]> {
  const { wave, roadmap: r } = roadmap.params
  return [
    ['scenario_set_id', source.id],
    ['scenario_set_name', source.name],
    ['generated_at', source.createdAt],
    ['round', `${roadmap.round.id} ${roadmap.round.name}`],
    ['model', `${roadmap.model.id} ${roadmap.model.version}`],
    ['cost_table', `${roadmap.costTable.id} ${roadmap.costTable.version}`],
    ['scope', JSON.stringify(roadmap.scope)],
    ['input_hash_sha256', roadmap.inputHash],
    ['params_json', JSON.stringify(roadmap.params)],
    ['priority_model', JSON.stringify(roadmap.priorityModel)],
    ['emr_deadlines', JSON.stringify(roadmap.round.deadlines)],
    ['basis', wave.basis],
    ['min_level', wave.minLevel],
    ['period_kind', r.periodKind],
    ['periods', JSON.stringify(roadmap.periods)],
    ['capacity_per_period', wave.capacity],
    ['budgets_bn_per_period', roadmap.scenarios.map((s) => s.budgetBn).join(', ')],
    ['cost_mode', r.costMode],
    ['default_cost_vnd', wave.costBn * 1_000_000_000],
    ['cost_overrides', wave.costs],
    ['province_min', wave.provinceMin ?? null],
    ['province_max', wave.provinceMax ?? null],
    ['province_quota_overrides', wave.provinceQuotas],
    [
      'tier_quotas',
      JSON.stringify({
        central: [wave.centralMin ?? null, wave.centralMax ?? null],
        provincial: [wave.provincialMin ?? null, wave.provincialMax ?? null],
        basic: [wave.basicMin ?? null, wave.basicMax ?? null],
      }),
    ],
    ['uplift_lead_periods', r.upliftLead],
    ['uplift_from_budget', r.upliftFromBudget === 'on'],
    ...roadmap.scenarios.flatMap((s): Array<[string, Cell]> => [
      [
        `scenario_${s.budgetBn}_method`,
        s.feasible ? s.method : `infeasible: ${JSON.stringify(s.conflicts)}`,
      ],
      [`scenario_${s.budgetBn}_objective`, s.feasible ? s.objective : null],
      [`scenario_${s.budgetBn}_lp_bound`, s.feasible ? s.lpBound : null],
      [`scenario_${s.budgetBn}_gap`, s.feasible ? s.gap : null],
    ]),
  ]
}

/**
 * The workbook: the roadmap sheet (the CSV's rows), the periods of each
 * scenario (cost, coverage), the parameters, and the methodology (the
 * schedule's formulation, the cost table with each action's basis and
 * source, then the published priority method). Dated at the set's creation.
 */
export async function roadmapXlsx(
  roadmap: Roadmap,
  model: ScoringModel,
  costTable: RemedialCostTable,
  source: { id: number; name: string; createdAt: string },
  language: ExportLanguage,
): Promise<Buffer> {
  const { locale, t } = language
  return streamWorkbook(new Date(source.createdAt), (workbook) => {
    const { header, rows } = roadmapTable(roadmap, language)
    const sheet = workbook.addWorksheet(t('waves:roadmap.file.sheets.roadmap'), {
      views: [{ state: 'frozen', ySplit: 1 }],
    })
    sheet.columns = COLUMNS.map((key, i) => ({
      key,
      width:
        key === 'facility' || key === 'reason' ? 48 : Math.max(10, (header[i] ?? '').length + 2),
      ...(key === 'uplift_cost_vnd' ? { style: { numFmt: '#,##0' } } : {}),
    }))
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } }
    const head = sheet.getRow(1)
    head.values = header
    head.font = { bold: true }
    head.commit()
    // Typed string cells: a name such as "=1+1" is text in the workbook, never a formula.
    rows.forEach((r, i) => {
      const row = sheet.getRow(i + 2)
      row.values = r
      row.commit()
    })
    sheet.commit()

    const periods = workbook.addWorksheet(t('waves:roadmap.file.sheets.periods'))
    const periodKeys = [
      'scenario_budget_bn',
      'period',
      'period_end',
      'facilities',
      'cost_vnd',
      'covered',
      'of',
    ] as const
    periods.columns = periodKeys.map((key) => ({
      key,
      width: 18,
      ...(key === 'cost_vnd' ? { style: { numFmt: '#,##0' } } : {}),
    }))
    periods.addRow(periodKeys.map((k) => t(`waves:roadmap.file.periodColumns.${k}`))).font = {
      bold: true,
    }
    for (const s of roadmap.scenarios) {
      if (!s.feasible) continue
      for (const p of s.periods) {
        periods.addRow([
          s.budgetBn,
          p.id,
          p.end,
          p.facilityIds.length,
          p.costVnd,
          p.coverage.covered,
          p.coverage.of,
        ])
      }
    }
    periods.commit()

    addParametersSheet(workbook, t, roadmapParameters(roadmap, source), 28)
    const methodology = addMethodologySheet(workbook, t, 24)
    const kind = (k: string) => t(`waves:roadmap.file.kinds.${k}`)
    for (const key of ['objective', 'constraints', 'levelRule', 'method', 'deadlines'] as const) {
      methodology.addRow([
        kind('schedule'),
        key,
        t(`waves:roadmap.file.method.${key}.title`),
        '',
        t(`waves:roadmap.file.method.${key}.detail`),
      ])
    }
    for (const a of costTable.actions) {
      methodology.addRow([
        kind('action'),
        a.itemId,
        localized(a.action, locale),
        a.costVnd,
        `${localized(a.basis, locale)} (${a.source})`,
      ])
    }
    for (const line of publishedMethod(model, roadmap.priorityModel, language)) {
      methodology.addRow([
        t(`waves:file.kinds.${line.kind}`),
        line.id,
        line.title,
        line.value,
        line.detail,
      ])
    }
    methodology.commit()
  })
}

/**
 * Exports of a ranked wave: CSV (UTF-8 with BOM, RFC 4180, numbers as
 * numbers, text cells escaped against formula injection) and XLSX (exceljs:
 * ranked sheet, parameters, methodology; text kept exactly as entered). The CSV is deterministic: the same
 * plan gives the same bytes.
 */
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { TFunction } from 'i18next'
import type { Locale } from '../i18n.ts'
import { localized } from '../utils/localized.ts'
import { formatNumber } from '../utils/number-format.ts'
import { publishedMethod } from './method.server.ts'
import type { WavePlan } from './planner.server.ts'
import type { Exclusion, WaveRow } from './wave-rows.server.ts'
import { addMethodologySheet, addParametersSheet, streamWorkbook } from './xlsx-writer.server.ts'
import { toCsv, type Cell } from '../utils/csv.ts'

type Translate = TFunction

/**
 * The reader's language. Passed in rather than looked up, so this module
 * needs no bundler (the bench runs it under plain tsx).
 */
export interface ExportLanguage {
  locale: Locale
  t: TFunction
}

/**
 * `t` with a memory: a national file asks for the same few labels 13,000
 * times, and each i18next lookup costs microseconds.
 */
function memoized(t: Translate): (key: string, values?: Record<string, string>) => string {
  const cache = new Map<string, string>()
  return (key, values) => {
    const id = values ? `${key}|${JSON.stringify(values)}` : key
    let text = cache.get(id)
    if (text === undefined) {
      text = values ? t(key, values) : t(key)
      cache.set(id, text)
    }
    return text
  }
}

function describeExclusion(e: Exclusion, t: ReturnType<typeof memoized>, locale: Locale): string {
  switch (e.kind) {
    case 'emr_live':
      return t('waves:lists.emr_live')
    case 'completeness':
      return t('waves:lists.completeness', { pct: formatNumber(e.completeness * 100, locale, 1) })
    case 'gate':
      return t('waves:lists.gate', { gate: e.gateId })
    case 'level':
      return t('waves:lists.belowLevel', { level: e.levelId, min: e.minLevel })
  }
}

function status(row: WaveRow, t: ReturnType<typeof memoized>): string {
  if (row.exclusions.length > 0) return t('waves:file.status.excluded')
  return t(row.selected ? 'waves:file.status.selected' : 'waves:file.status.notSelected')
}

/**
 * The ranked table of the files, in the reader's language: `keys` name the
 * columns for formats (stable), `header` is what the reader sees. Domain
 * scores, like the composite, are on a 0–100 scale.
 */
export function waveTable(
  plan: WavePlan,
  language: ExportLanguage,
): { keys: string[]; header: string[]; rows: Cell[][]; selected: boolean[] } {
  const { locale } = language
  const t = memoized(language.t)
  const domains = plan.model.domains.map((d) => ({ id: d.id, title: localized(d.title, locale) }))
  const domainTitle = new Map(domains.map((d) => [d.id, d.title]))
  const fixed = [
    'rank',
    'code',
    'facility',
    'province',
    'tier',
    'ownership',
    'composite',
    'level',
    'priority_bp',
    'status',
    'tie_at_cutoff',
    'cost_vnd',
    'completeness',
    // The priority's inputs, each with its source, so anyone can recompute it from the file.
    'need',
    'feasibility',
    'gate_subscore_bp',
    'need_bp',
    'beds',
    'beds_source',
    'emr_stage',
    'emr_deadline',
    'deadline_missed',
    'technical_level',
    'referral_role',
    'budget_secured_pct',
    'budget_source',
    'autonomy_group',
    'his_compatibility',
  ]
  const tail = [
    'selection_probability',
    'robustness',
    'excluded_because',
    'holding_back',
    'data_quality',
  ]
  const ruleMessage = new Map(
    (plan.model.rules ?? []).map((r) => [r.id, localized(r.message, locale)]),
  )
  const keys = [...fixed, ...domains.map((d) => `domain_${d.id}`), ...tail]
  const header = [
    ...fixed.map((k) => t(`waves:file.columns.${k}`)),
    ...domains.map((d) => t('waves:file.columns.domain', { title: d.title })),
    ...tail.map((k) => t(`waves:file.columns.${k}`)),
  ]
  const rows: Cell[][] = plan.rows.map((r) => {
    const p = r.priorityInputs
    return [
      r.rank,
      r.code,
      r.name,
      r.provinceName,
      t(`common:tiers.${r.tier}`),
      t(`common:ownership.${r.ownership}`),
      r.compositeBp / 100,
      r.level,
      r.priorityBp,
      status(r, t),
      r.tieAtCutoff,
      r.costVnd,
      Math.round(r.completeness * 10000) / 10000,
      // Unrounded: with the inputs beside them they recompute the priority exactly.
      p?.need.value ?? null,
      p?.feasibility.value ?? null,
      r.gateSubscoreBp,
      r.needBp,
      p?.beds ?? null,
      p?.bedsSource ?? null,
      p?.emrStage ?? null,
      p?.deadline ?? null,
      p?.deadlineMissed ?? null,
      p?.technicalLevel ?? null,
      p?.referralRole ?? null,
      p?.budgetSecuredPct ?? null,
      p?.budgetSource ?? null,
      p?.autonomyGroup ?? null,
      p?.hisCompatibility ?? null,
      ...domains.map((d) => Math.round((r.domains[d.id] ?? 0) * 10000) / 100),
      r.selectionProbability,
      r.robustness ? t(`waves:robustness.labels.${r.robustness}`) : null,
      r.exclusions.map((e) => describeExclusion(e, t, locale)).join('; '),
      r.holdingBack.map((d) => domainTitle.get(d) ?? d).join('; '),
      r.dataQuality.map((id) => `${id}: ${ruleMessage.get(id) ?? id}`).join('; '),
    ]
  })
  return { keys, header, rows, selected: plan.rows.map((r) => r.selected) }
}

export function waveCsv(plan: WavePlan, language: ExportLanguage): string {
  const { header, rows } = waveTable(plan, language)
  return toCsv([header, ...rows])
}

/** Where the plan came from: a saved run (id, name, time) or a live view generated now. */
export interface ExportSource {
  run: { id: number; name: string } | null
  generatedAt: string
}

function describeScope(plan: WavePlan): string {
  switch (plan.scope.kind) {
    case 'all':
      return 'all facilities'
    case 'province':
      return `province ${plan.scope.provinceCode}`
    case 'facility':
      return `facility ${plan.scope.facilityId}`
  }
}

/** Everything needed to reproduce the list. */
export function waveParameters(plan: WavePlan, source: ExportSource): Array<[string, Cell]> {
  const r = plan.result
  const rob = plan.robustness
  return [
    ['run', source.run ? `${source.run.id} ${source.run.name}` : 'not saved (live view)'],
    ['generated_at', source.generatedAt],
    ['round', `${plan.round.id} ${plan.round.name}`],
    ['scoring model', `${plan.model.id} ${plan.model.version}`],
    ['scope', describeScope(plan)],
    ['input_hash_sha256', plan.inputHash],
    ['params_json', JSON.stringify(plan.params)],
    ['basis', plan.params.basis],
    ['objective', JSON.stringify(plan.objective)],
    ['min_level', plan.params.minLevel],
    [
      'priority_model',
      plan.priorityModel ? JSON.stringify(plan.priorityModel) : 'not recorded (saved before 1.0.0)',
    ],
    ['emr_deadlines', plan.round.deadlines ? JSON.stringify(plan.round.deadlines) : null],
    ['capacity', plan.params.capacity],
    ['budget_vnd', plan.budgetVnd],
    // The support spent before the wave (absent: the option was off, or the run predates it).
    ['support_budget_vnd', plan.support?.budgetVnd ?? null],
    ['support_spent_vnd', plan.support?.spentVnd ?? null],
    ['support_cost_table', plan.support?.costTable.version ?? null],
    [
      'support_lifted',
      plan.support
        ? JSON.stringify(
            plan.support.lifted.map((f) => ({
              code: f.code,
              costVnd: f.costVnd,
              actions: f.actions.map((a) => a.itemId),
            })),
          )
        : null,
    ],
    ['default_cost_vnd', plan.params.costBn * 1_000_000_000],
    ['cost_overrides', plan.params.costs],
    ['province_min', plan.params.provinceMin ?? null],
    ['province_max', plan.params.provinceMax ?? null],
    ['province_quota_overrides', plan.params.provinceQuotas],
    [
      'tier_quotas',
      JSON.stringify({
        central: [plan.params.centralMin ?? null, plan.params.centralMax ?? null],
        provincial: [plan.params.provincialMin ?? null, plan.params.provincialMax ?? null],
        basic: [plan.params.basicMin ?? null, plan.params.basicMax ?? null],
      }),
    ],
    ['feasible', r.feasible],
    ['method', r.feasible ? r.method : null],
    ['selected', r.feasible ? r.selected.length : 0],
    ['objective_bp', r.feasible ? r.objective : null],
    ['total_cost_vnd', r.feasible ? r.totalCost : null],
    ['price_of_equity_bp', r.feasible ? r.priceOfEquity : null],
    ['binding', r.feasible ? JSON.stringify(r.binding) : JSON.stringify(r.conflicts)],
    ['robustness_seed', plan.params.seed],
    ['robustness_draws', rob ? rob.draws : null],
    ['robustness_alpha', rob ? rob.alpha : null],
    ['robustness_monte_carlo_error', rob ? rob.monteCarloError : null],
  ]
}

/**
 * The workbook. Its dates are the source's `generatedAt` (a saved run's
 * creation time), never the clock, so a saved run exports byte-identical files.
 */
export async function waveXlsx(
  plan: WavePlan,
  model: ScoringModel,
  source: ExportSource,
  language: ExportLanguage,
): Promise<Buffer> {
  const { locale, t } = language
  return streamWorkbook(new Date(source.generatedAt), (workbook) => {
    const { keys, header, rows, selected } = waveTable(plan, language)
    const numberFormats: Record<string, string> = {
      composite: '0.00',
      cost_vnd: '#,##0',
      completeness: '0.0%',
      selection_probability: '0.0%',
    }
    const ranked = workbook.addWorksheet(t('waves:file.sheets.ranked'), {
      views: [{ state: 'frozen', ySplit: 1 }],
    })
    ranked.columns = keys.map((key, i) => {
      const format = numberFormats[key] ?? (key.startsWith('domain_') ? '0.00' : undefined)
      return {
        key,
        width: key === 'facility' ? 48 : Math.min(28, Math.max(10, (header[i] ?? '').length + 2)),
        ...(format ? { style: { numFmt: format } } : {}),
      }
    })
    ranked.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } }
    const head = ranked.getRow(1)
    head.values = header
    head.font = { bold: true }
    head.commit()
    rows.forEach((r, i) => {
      const row = ranked.getRow(i + 2)
      // Typed string cells: a name such as "=1+1" is text in the workbook, never a formula.
      row.values = r
      if (selected[i]) {
        row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDFF0E8' } }
      }
      row.commit()
    })
    ranked.commit()

    addParametersSheet(workbook, t, waveParameters(plan, source), 24)
    const methodology = addMethodologySheet(workbook, t, 18)
    const kind = (k: string) => t(`waves:file.kinds.${k}`)
    for (const d of model.domains) {
      methodology.addRow([
        kind('domain'),
        d.id,
        localized(d.title, locale),
        d.weight,
        localized(d.rationale, locale),
      ])
    }
    for (const g of model.gates) {
      const c = g.condition
      methodology.addRow([
        kind('gate'),
        g.id,
        localized(g.title, locale),
        c.minScore,
        `${c.kind === 'item' ? c.itemId : c.domainId}${g.enabled ? '' : ` ${t('waves:file.notApplied')}`}`,
      ])
    }
    for (const l of model.levels) {
      methodology.addRow([
        kind('level'),
        l.id,
        localized(l.title, locale),
        l.minComposite,
        l.gateIds.join(', '),
      ])
    }
    methodology.addRow([
      kind('completeness'),
      '',
      t('waves:file.completenessThreshold'),
      model.completenessThreshold,
      '',
    ])
    // The priority formulas with every input's source, the ranking and wave method, the
    // floors and the answer rules: the same lines as the methodology page.
    if (plan.priorityModel) {
      for (const line of publishedMethod(model, plan.priorityModel, language)) {
        methodology.addRow([kind(line.kind), line.id, line.title, line.value, line.detail])
      }
    }
    if (plan.support) {
      methodology.addRow([
        kind('support'),
        'supportBn',
        t('waves:support.plan.title'),
        plan.support.budgetVnd,
        t('waves:support.plan.method', {
          budget: formatNumber(plan.support.budgetVnd, locale),
          level: plan.params.minLevel,
          costTable: plan.support.costTable.version,
        }),
      ])
    }
    methodology.commit()
  })
}

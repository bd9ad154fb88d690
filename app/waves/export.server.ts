/**
 * Exports of a ranked wave: CSV (UTF-8 with BOM, RFC 4180, numbers as
 * numbers, text cells escaped against formula injection) and XLSX (exceljs:
 * ranked sheet, parameters, methodology). The CSV is deterministic: the same
 * plan gives the same bytes.
 */
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { Exclusion, WavePlan, WaveRow } from './planner.server.ts'
import { fixZipTimestamps } from './zip-time.ts'

type Cell = string | number | boolean | null

/** A text cell that a spreadsheet would run as a formula gets a leading apostrophe. */
export function escapeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/** RFC 4180: quote fields with comma, quote, CR or LF; double inner quotes. Numbers stay bare. */
export function csvField(value: Cell): string {
  if (value === null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = escapeFormula(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(rows: Cell[][]): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`
}

function describeExclusion(e: Exclusion): string {
  switch (e.kind) {
    case 'emr_live':
      return 'EMR already live'
    case 'completeness':
      return `incomplete (${(e.completeness * 100).toFixed(1)}% < ${(e.threshold * 100).toFixed(0)}%)`
    case 'gate':
      return `gate ${e.gateId} failed`
  }
}

function status(row: WaveRow): string {
  if (row.exclusions.length > 0) return 'excluded'
  return row.selected ? 'selected' : 'not selected'
}

export function waveTable(plan: WavePlan): { header: string[]; rows: Cell[][] } {
  const domainIds = plan.model.domains.map((d) => d.id)
  const header = [
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
    ...domainIds.map((d) => `domain_${d}`),
    'selection_probability',
    'robustness',
    'excluded_because',
    'holding_back',
  ]
  const rows: Cell[][] = plan.rows.map((r) => [
    r.rank,
    r.code,
    r.name,
    r.provinceName,
    r.tier,
    r.ownership,
    r.compositeBp / 100,
    r.level,
    r.priorityBp,
    status(r),
    r.tieAtCutoff,
    r.costVnd,
    Math.round(r.completeness * 10000) / 10000,
    ...domainIds.map((d) => Math.round((r.domains[d] ?? 0) * 10000) / 100),
    r.selectionProbability,
    r.robustness,
    r.exclusions.map(describeExclusion).join('; '),
    r.holdingBack.join('; '),
  ])
  return { header, rows }
}

export function waveCsv(plan: WavePlan): string {
  const { header, rows } = waveTable(plan)
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
    ['capacity', plan.params.capacity],
    ['budget_vnd', plan.budgetVnd],
    ['default_cost_vnd', plan.params.costBn * 1_000_000_000],
    ['cost_overrides', plan.params.costs],
    ['province_min', plan.params.provinceMin ?? null],
    ['province_max', plan.params.provinceMax ?? null],
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
): Promise<Buffer> {
  // The streaming writer: rows are serialised as they are committed, about
  // twice as fast as building the whole workbook in memory for 13,000 rows.
  const chunks: Buffer[] = []
  const sink = new PassThrough()
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: false,
  })
  workbook.creator = 'Sẵn Sàng'
  workbook.lastModifiedBy = 'Sẵn Sàng'
  const at = new Date(source.generatedAt)
  workbook.created = at
  workbook.modified = at

  const { header, rows } = waveTable(plan)
  const numberFormats: Record<string, string> = {
    composite: '0.00',
    cost_vnd: '#,##0',
    completeness: '0.0%',
    selection_probability: '0.0%',
  }
  const ranked = workbook.addWorksheet('Ranked', { views: [{ state: 'frozen', ySplit: 1 }] })
  ranked.columns = header.map((h) => {
    const format = numberFormats[h] ?? (h.startsWith('domain_') ? '0.00' : undefined)
    return {
      key: h,
      width: h === 'facility' ? 48 : Math.max(10, h.length + 2),
      ...(format ? { style: { numFmt: format } } : {}),
    }
  })
  ranked.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } }
  const head = ranked.getRow(1)
  head.values = header
  head.font = { bold: true }
  head.commit()
  const statusColumn = header.indexOf('status')
  rows.forEach((r, i) => {
    const row = ranked.getRow(i + 2)
    row.values = r.map((c) => (typeof c === 'string' ? escapeFormula(c) : c))
    if (r[statusColumn] === 'selected') {
      row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDFF0E8' } }
    }
    row.commit()
  })
  ranked.commit()

  const parameters = workbook.addWorksheet('Parameters')
  parameters.columns = [{ width: 24 }, { width: 80 }]
  parameters.addRow(['parameter', 'value']).font = { bold: true }
  for (const [k, v] of waveParameters(plan, source))
    parameters.addRow([k, typeof v === 'string' ? escapeFormula(v) : v])
  parameters.commit()

  const methodology = workbook.addWorksheet('Methodology')
  methodology.columns = [{ width: 14 }, { width: 12 }, { width: 48 }, { width: 18 }, { width: 60 }]
  methodology.addRow(['kind', 'id', 'title', 'weight / threshold', 'detail']).font = { bold: true }
  for (const d of model.domains)
    methodology.addRow(['domain', d.id, d.title.en, d.weight, d.rationale.en])
  for (const g of model.gates) {
    const c = g.condition
    methodology.addRow([
      'gate',
      g.id,
      g.title.en,
      c.minScore,
      `${c.kind === 'item' ? c.itemId : c.domainId}${g.enabled ? '' : ' (not applied)'}`,
    ])
  }
  for (const l of model.levels)
    methodology.addRow(['level', l.id, l.title.en, l.minComposite, l.gateIds.join(', ')])
  methodology.addRow(['completeness', '', 'threshold', model.completenessThreshold, ''])
  methodology.commit()

  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve)
    sink.on('error', reject)
  })
  await workbook.commit()
  sink.end()
  await ended
  return fixZipTimestamps(Buffer.concat(chunks), at)
}

/**
 * The cost table of remedial actions as a spreadsheet (issue #21): the
 * export's columns, and the preview of an edited file against the current
 * version (what each row changes, and every refused cell with its row,
 * column and value). Pure: the caller reads the file (the registry's
 * read-file.server.ts) and the current version and model.
 *
 * - The header row is the first non-blank row; columns are matched by name
 *   (folded: "Cost VND" = "cost_vnd"), in any order. A missing column or one
 *   named twice refuses the whole file; unknown columns are listed and ignored;
 *   `item` (the item's label, written by the export for the reader) is ignored.
 * - Each non-blank row is one action. Every cell is checked with the field's
 *   own schema in RemedialCostTableSchema, so the file and the stored table
 *   obey one rule. An item on two rows is an error on both.
 * - Items of the current version the file leaves out are removed; items it
 *   adds are new actions; the rest are compared field by field.
 */
import * as z from 'zod'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { RemedialCostTableSchema, type RemedialCostTable } from '../../scoring/uplift.ts'
import { foldSearchKey } from '../../db/text.ts'
import { unescapeFormula, type Cell } from '../utils/csv.ts'
import { cleanText, headerKey } from './registry/fields.ts'
import type { CellProblem, RegistryFileFormat, SheetRow } from './registry/read-file.server.ts'

export type CostAction = RemedialCostTable['actions'][number]

const ACTION = RemedialCostTableSchema.shape.actions.element.shape

/** The word a row writes when its figure has no reference; stored as `estimate`. */
export const ESTIMATE = 'estimate'
/** What administrators may write for it, compared folded (case and tone marks aside). */
const ESTIMATE_WORDS = new Set(['estimate', 'uoc tinh'])

export const COST_FIELDS = [
  'costVnd',
  'actionVi',
  'actionEn',
  'basisVi',
  'basisEn',
  'source',
] as const
export type CostField = (typeof COST_FIELDS)[number]

/** The file's columns in export order; `item` is the label for the reader, never read back. */
export const COST_COLUMNS = [
  'item_id',
  'item',
  'cost_vnd',
  'action_vi',
  'action_en',
  'basis_vi',
  'basis_en',
  'source',
] as const
type Column = (typeof COST_COLUMNS)[number]
const READ_COLUMNS = COST_COLUMNS.filter((c) => c !== 'item')

/**
 * The items money can improve under a model, in model order: raising the
 * item moves something the level rule reads, i.e. it carries weight in the
 * composite or a gate tests it. Which of them has a priced action is the
 * administrator's decision, written in the cost table.
 * @example improvableItemIds(model).includes('backup_offsite') // true
 */
export function improvableItemIds(model: ScoringModel): string[] {
  const gated = new Set(
    model.gates.flatMap((g) => (g.condition.kind === 'item' ? [g.condition.itemId] : [])),
  )
  return model.items.filter((i) => i.weight > 0 || gated.has(i.id)).map((i) => i.id)
}

/** One action as the file's row: item labels come from the caller (the reader's language). */
export function costTableSheet(
  actions: readonly CostAction[],
  labelOf: (itemId: string) => string,
): Cell[][] {
  return [
    [...COST_COLUMNS],
    ...actions.map((a) => [
      a.itemId,
      labelOf(a.itemId),
      a.costVnd,
      a.action.vi,
      a.action.en,
      a.basis.vi,
      a.basis.en,
      a.source,
    ]),
  ]
}

export interface CostRowError {
  row: number
  /** The column as the file names it (the canonical name for a missing one). */
  column: string
  value: string
  /** A key of `costs:errors`. */
  error:
    | 'required'
    | 'unknownItem'
    | 'notImprovable'
    | 'duplicateItem'
    | 'notWholeVnd'
    | 'notPositive'
    | 'tooLarge'
    | 'tooLong'
    | 'unreadableCell'
  params?: Record<string, string>
}

export interface CostFieldChange {
  field: CostField
  old: string | number
  new: string | number
}

export interface CostChange {
  itemId: string
  kind: 'added' | 'changed' | 'removed'
  /** The file's row (null for a removed action, which has none). */
  row: number | null
  /** Changed fields; for an added action every field (old ''), for a removed one none. */
  fields: CostFieldChange[]
  /** The cost before and after (null on the side where the action does not exist). */
  oldCostVnd: number | null
  newCostVnd: number | null
}

export interface CostTablePreview {
  kind: 'preview'
  format: RegistryFileFormat
  rows: number
  ignoredColumns: string[]
  errors: CostRowError[]
  changes: CostChange[]
  counts: { added: number; changed: number; removed: number; unchanged: number; errorRows: number }
  /** The new version's actions, in model order (complete only when `errors` is empty). */
  actions: CostAction[]
}

export type CostFileProblem =
  | { kind: 'refused'; reason: 'noHeader' }
  | { kind: 'refused'; reason: 'duplicateColumn'; columns: string[] }
  | { kind: 'refused'; reason: 'missingColumns'; columns: string[] }

export interface PreviewContext {
  /** The current version's actions. */
  current: readonly CostAction[]
  /** Every item id of the current model, and those money can improve, in model order. */
  modelItemIds: ReadonlySet<string>
  improvable: readonly string[]
}

function mapColumns(
  header: SheetRow,
):
  | { index: Map<Column, number>; headers: Map<Column, string>; ignored: string[] }
  | CostFileProblem {
  const byKey = new Map(COST_COLUMNS.map((c) => [headerKey(c), c]))
  const index = new Map<Column, number>()
  const headers = new Map<Column, string>()
  const ignored: string[] = []
  for (const [i, raw] of header.cells.entries()) {
    const text = cleanText(raw)
    if (!text) continue
    const column = byKey.get(headerKey(text))
    if (!column) {
      ignored.push(text)
      continue
    }
    const before = headers.get(column)
    if (before !== undefined) {
      return { kind: 'refused', reason: 'duplicateColumn', columns: [before, text] }
    }
    index.set(column, i)
    headers.set(column, text)
  }
  const missing = READ_COLUMNS.filter((c) => !index.has(c))
  if (missing.length > 0) return { kind: 'refused', reason: 'missingColumns', columns: missing }
  return { index, headers, ignored }
}

/**
 * A cost cell as whole VND: digits, optionally grouped by threes with one
 * separator used throughout (dots as Vietnamese writes, commas, spaces).
 * @example parseVnd('180.000.000') // 180000000
 * @example parseVnd('1,5') // null (not whole VND)
 */
export function parseVnd(text: string): number | null {
  const compact = text.replace(/[\s\u00a0]/g, ' ')
  if (/^\d+$/.test(compact)) return Number(compact)
  const grouped = /^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$/.exec(compact)
  return grouped ? Number(compact.replace(/[.,\s]/g, '')) : null
}

/** A zod refusal of one cell in the file's words. */
function issueError(error: z.ZodError): Pick<CostRowError, 'error' | 'params'> {
  const issue = error.issues[0]
  if (issue?.code === 'too_big') {
    const max = String(issue.maximum)
    return { error: issue.origin === 'number' ? 'tooLarge' : 'tooLong', params: { max } }
  }
  if (issue?.code === 'too_small' && issue.origin === 'number') return { error: 'notPositive' }
  return { error: 'required' }
}

/** The source as stored: "estimate" for the word in either language, the reference otherwise. */
export function normaliseSource(text: string): string {
  return ESTIMATE_WORDS.has(foldSearchKey(text)) ? ESTIMATE : text
}

function fieldValue(a: CostAction, field: CostField): string | number {
  switch (field) {
    case 'costVnd':
      return a.costVnd
    case 'actionVi':
      return a.action.vi
    case 'actionEn':
      return a.action.en
    case 'basisVi':
      return a.basis.vi
    case 'basisEn':
      return a.basis.en
    case 'source':
      return a.source
  }
}

interface ReadRow {
  row: number
  action: CostAction
}

/** Reads one data row into an action, or pushes its refused cells. */
function readRow(
  row: SheetRow,
  columns: { index: Map<Column, number>; headers: Map<Column, string> },
  problems: Map<string, CellProblem>,
  context: PreviewContext,
  refuse: (e: CostRowError) => void,
): CostAction | null {
  let ok = true
  const cell = (column: Column): string | null => {
    const i = columns.index.get(column) ?? -1
    const header = columns.headers.get(column) ?? column
    const problem = problems.get(`${row.row}:${i}`)
    if (problem) {
      refuse({ row: row.row, column: header, value: problem.value, error: 'unreadableCell' })
      ok = false
      return null
    }
    return cleanText(row.cells[i] ?? '')
  }
  const check = <T>(
    column: Column,
    schema: z.ZodType<T>,
    value: unknown,
    raw: string,
  ): T | null => {
    const parsed = schema.safeParse(value)
    if (parsed.success) return parsed.data
    refuse({
      row: row.row,
      column: columns.headers.get(column) ?? column,
      value: raw,
      ...issueError(parsed.error),
    })
    ok = false
    return null
  }
  const text = (column: Column, schema: z.ZodType<string>): string | null => {
    const raw = cell(column)
    return raw === null ? null : check(column, schema, unescapeFormula(raw), raw)
  }

  const itemId = cell('item_id')
  const itemHeader = columns.headers.get('item_id') ?? 'item_id'
  if (itemId !== null) {
    const error = !itemId
      ? 'required'
      : !context.modelItemIds.has(itemId)
        ? 'unknownItem'
        : !context.improvable.includes(itemId)
          ? 'notImprovable'
          : null
    if (error) {
      refuse({ row: row.row, column: itemHeader, value: itemId, error })
      ok = false
    }
  }
  const costText = cell('cost_vnd')
  let costVnd: number | null = null
  if (costText !== null) {
    const vnd = parseVnd(costText)
    if (costText === '') {
      refuse({
        row: row.row,
        column: columns.headers.get('cost_vnd') ?? '',
        value: '',
        error: 'required',
      })
      ok = false
    } else if (vnd === null) {
      refuse({
        row: row.row,
        column: columns.headers.get('cost_vnd') ?? 'cost_vnd',
        value: costText,
        error: /^-\s*\d/.test(costText) ? 'notPositive' : 'notWholeVnd',
      })
      ok = false
    } else costVnd = check('cost_vnd', ACTION.costVnd, vnd, costText)
  }
  const actionVi = text('action_vi', ACTION.action.shape.vi)
  const actionEn = text('action_en', ACTION.action.shape.en)
  const basisVi = text('basis_vi', ACTION.basis.shape.vi)
  const basisEn = text('basis_en', ACTION.basis.shape.en)
  const sourceRaw = text('source', ACTION.source)
  if (
    !ok ||
    itemId === null ||
    costVnd === null ||
    actionVi === null ||
    actionEn === null ||
    basisVi === null ||
    basisEn === null ||
    sourceRaw === null
  ) {
    return null
  }
  return {
    itemId,
    costVnd,
    action: { vi: actionVi, en: actionEn },
    basis: { vi: basisVi, en: basisEn },
    source: normaliseSource(sourceRaw),
  }
}

/** The fields of `after` that differ from `before`. */
export function diffAction(before: CostAction, after: CostAction): CostFieldChange[] {
  return COST_FIELDS.flatMap((field) => {
    const old = fieldValue(before, field)
    const next = fieldValue(after, field)
    return old === next ? [] : [{ field, old, new: next }]
  })
}

/** What the file would make of the current version; nothing is written. */
export function buildCostTablePreview(
  table: { format: RegistryFileFormat; rows: SheetRow[]; problems: CellProblem[] },
  context: PreviewContext,
): CostTablePreview | CostFileProblem {
  const nonBlank = (r: SheetRow) => r.cells.some((c) => c.trim() !== '')
  const headerIndex = table.rows.findIndex(nonBlank)
  const header = table.rows[headerIndex]
  if (!header) return { kind: 'refused', reason: 'noHeader' }
  const columns = mapColumns(header)
  if ('kind' in columns) return columns
  const problems = new Map(table.problems.map((p) => [`${p.row}:${p.column}`, p]))

  const errors: CostRowError[] = []
  const errorRows = new Set<number>()
  const refuse = (e: CostRowError) => {
    errors.push(e)
    errorRows.add(e.row)
  }
  const read: ReadRow[] = []
  const rowsOfItem = new Map<string, number[]>()
  let dataRows = 0
  for (const row of table.rows.slice(headerIndex + 1)) {
    if (!nonBlank(row)) continue
    dataRows++
    const itemCell = cleanText(row.cells[columns.index.get('item_id') ?? -1] ?? '')
    if (itemCell) rowsOfItem.set(itemCell, [...(rowsOfItem.get(itemCell) ?? []), row.row])
    const action = readRow(row, columns, problems, context, refuse)
    if (action) read.push({ row: row.row, action })
  }
  const itemHeader = columns.headers.get('item_id') ?? 'item_id'
  for (const [itemId, rows] of rowsOfItem) {
    if (rows.length < 2) continue
    for (const row of rows) {
      refuse({
        row,
        column: itemHeader,
        value: itemId,
        error: 'duplicateItem',
        params: { rows: rows.join(', ') },
      })
    }
  }
  errors.sort((a, b) => a.row - b.row)
  // An item on two rows is refused on both: neither row counts as a change.
  const kept = read.filter((r) => (rowsOfItem.get(r.action.itemId)?.length ?? 0) < 2)

  const order = new Map(context.improvable.map((id, i) => [id, i]))
  const currentById = new Map(context.current.map((a) => [a.itemId, a]))
  const fileById = new Map(kept.map((r) => [r.action.itemId, r]))
  const changes: CostChange[] = []
  let unchanged = 0
  for (const { row, action } of kept) {
    const before = currentById.get(action.itemId)
    if (!before) {
      changes.push({
        itemId: action.itemId,
        kind: 'added',
        row,
        fields: COST_FIELDS.map((field) => ({ field, old: '', new: fieldValue(action, field) })),
        oldCostVnd: null,
        newCostVnd: action.costVnd,
      })
      continue
    }
    const fields = diffAction(before, action)
    if (fields.length === 0) unchanged++
    else {
      changes.push({
        itemId: action.itemId,
        kind: 'changed',
        row,
        fields,
        oldCostVnd: before.costVnd,
        newCostVnd: action.costVnd,
      })
    }
  }
  // A row that was refused is not a removal: its item is still in the file.
  for (const before of context.current) {
    if (fileById.has(before.itemId) || rowsOfItem.has(before.itemId)) continue
    changes.push({
      itemId: before.itemId,
      kind: 'removed',
      row: null,
      fields: [],
      oldCostVnd: before.costVnd,
      newCostVnd: null,
    })
  }
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER
  changes.sort((a, b) => rank(a.itemId) - rank(b.itemId) || a.itemId.localeCompare(b.itemId))
  const count = (kind: CostChange['kind']) => changes.filter((c) => c.kind === kind).length
  return {
    kind: 'preview',
    format: table.format,
    rows: dataRows,
    ignoredColumns: columns.ignored,
    errors,
    changes,
    counts: {
      added: count('added'),
      changed: count('changed'),
      removed: count('removed'),
      unchanged,
      errorRows: errorRows.size,
    },
    actions: kept.map((r) => r.action).sort((a, b) => rank(a.itemId) - rank(b.itemId)),
  }
}

const VERSION = RemedialCostTableSchema.shape.version
const NOTE_MAX = 1000

const noteText = z
  .string({ error: 'noteRequired' })
  .trim()
  .min(1, { error: 'noteRequired' })
  .max(NOTE_MAX, { error: 'noteTooLong' })
  .transform((s) => s.normalize('NFC'))

/**
 * The new version's label and note as the page submits them (with the file,
 * and again with the save). Messages are keys of `costs:form`. The label's
 * length is the stored schema's.
 */
export const NewCostVersionSchema = z.object({
  version: z
    .string({ error: 'versionRequired' })
    .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(VERSION.minLength ?? 1, { error: 'versionRequired' })
        .max(VERSION.maxLength ?? 40, { error: 'versionTooLong' }),
    ),
  noteVi: noteText,
  noteEn: noteText,
})
export type NewCostVersion = z.infer<typeof NewCostVersionSchema>

/**
 * The preview of a registry import: what the file would change, computed
 * without writing anything. Pure: the caller reads the file
 * (read-file.server.ts) and the registry as it stands.
 *
 * - The header row is the first non-blank row; columns are matched through
 *   `fieldForHeader`, unknown ones are ignored and listed, a column named
 *   twice or a missing required one refuses the whole file.
 * - Blank rows are skipped. Every other row is parsed cell by cell; each
 *   refused cell is an error with its row, column (as the file names it) and
 *   value. A code on two rows is an error on both.
 * - A valid row with a known code is compared field by field (changed or
 *   unchanged); a new code is an insertion. Open facilities whose codes the
 *   file does not hold are listed as missing, never deleted.
 */
import {
  FIELDS,
  cleanText,
  fieldForHeader,
  type AnyField,
  type FieldSpec,
  type ParseContext,
  type RegistryKey,
  type RegistryRecord,
} from './fields.ts'
import type { CellProblem, RegistryFileFormat, SheetRow } from './read-file.server.ts'

export interface ExistingFacility extends RegistryRecord {
  id: number
  closed_at: string | null
}

export interface RowError {
  row: number
  /** The column's header as the file writes it (the canonical name for a missing column). */
  column: string
  value: string
  /** A key of `registry:errors`. */
  error: string
  params?: Record<string, string>
}

export interface FieldChange {
  field: RegistryKey
  old: string | number | null
  new: string | number | null
}

export interface PlannedUpdate {
  row: number
  id: number
  code: string
  name: string
  closed: boolean
  changes: FieldChange[]
  record: RegistryRecord
}

export interface PlannedInsert {
  row: number
  record: RegistryRecord
}

export interface ProvinceNote {
  row: number
  value: string
  code: string
  /** The new province's name. */
  province: string
}

export interface RegistryPreview {
  kind: 'preview'
  format: RegistryFileFormat
  rows: number
  ignoredColumns: string[]
  /** Optional columns absent from the file: existing facilities keep these fields. */
  absentColumns: string[]
  counts: { new: number; changed: number; unchanged: number; errorRows: number }
  errors: RowError[]
  inserts: PlannedInsert[]
  updates: PlannedUpdate[]
  missing: { id: number; code: string; name: string }[]
  provinceNotes: ProvinceNote[]
}

export type FileProblem =
  | { kind: 'refused'; reason: 'noHeader' }
  | { kind: 'refused'; reason: 'duplicateColumn'; columns: string[] }
  | { kind: 'refused'; reason: 'missingColumns'; columns: string[] }

interface Column {
  index: number
  header: string
  field: AnyField
}

function mapColumns(header: SheetRow): { columns: Column[]; ignored: string[] } | FileProblem {
  const columns: Column[] = []
  const ignored: string[] = []
  header.cells.forEach((raw, index) => {
    const text = cleanText(raw)
    if (!text) return
    const field = fieldForHeader(text)
    if (field) columns.push({ index, header: text, field })
    else ignored.push(text)
  })
  const seen = new Map<RegistryKey, Column>()
  for (const column of columns) {
    const before = seen.get(column.field.key)
    if (before) {
      return { kind: 'refused', reason: 'duplicateColumn', columns: [before.header, column.header] }
    }
    seen.set(column.field.key, column)
  }
  const missing = FIELDS.filter((f) => f.required && !seen.has(f.key)).map((f) => f.header)
  if (missing.length > 0) return { kind: 'refused', reason: 'missingColumns', columns: missing }
  return { columns, ignored }
}

type Partial = { [K in RegistryKey]?: RegistryRecord[K] }

/** Reads one cell into `into`; an error otherwise. Generic so each field keeps its own type. */
function readCell<K extends RegistryKey>(
  field: FieldSpec<K>,
  raw: string,
  context: ParseContext,
  into: Partial,
): { error: string; params?: Record<string, string> } | { note?: string } {
  const cell = cleanText(raw)
  if (cell === '') {
    if (field.required || field.blank === undefined) return { error: 'required' }
    into[field.key] = field.blank
    return {}
  }
  const parsed = field.parse(cell, context)
  if (!parsed.ok) return { error: parsed.error, params: parsed.params }
  into[field.key] = parsed.value
  return parsed.province?.ok && parsed.province.from ? { note: parsed.province.code } : {}
}

/** Narrows a row's values to a full record: every column is either read or defaulted. */
function isComplete(values: Partial): values is RegistryRecord {
  return FIELDS.every((f) => values[f.key] !== undefined)
}

/** Defaults of optional columns the file leaves out, for new facilities. */
function defaults(): Partial {
  const out: Partial = {}
  for (const f of FIELDS) if (!f.required && f.blank !== undefined) assign(out, f, f.blank)
  return out
}

function assign<K extends RegistryKey>(
  into: Partial,
  field: FieldSpec<K>,
  value: RegistryRecord[K],
) {
  into[field.key] = value
}

function diff(before: RegistryRecord, after: RegistryRecord): FieldChange[] {
  const changes: FieldChange[] = []
  for (const f of FIELDS) {
    if (before[f.key] !== after[f.key]) {
      changes.push({ field: f.key, old: before[f.key], new: after[f.key] })
    }
  }
  return changes
}

interface ParsedRow {
  row: number
  values: Partial
}

export function buildPreview(
  table: { format: RegistryFileFormat; rows: SheetRow[]; problems: CellProblem[] },
  existing: readonly ExistingFacility[],
  context: ParseContext,
): RegistryPreview | FileProblem {
  const nonBlank = (r: SheetRow) => r.cells.some((c) => c.trim() !== '')
  const headerIndex = table.rows.findIndex(nonBlank)
  const header = table.rows[headerIndex]
  if (!header) return { kind: 'refused', reason: 'noHeader' }
  const mapped = mapColumns(header)
  if ('kind' in mapped) return mapped
  const { columns, ignored } = mapped
  const present = new Set(columns.map((c) => c.field.key))
  const problems = new Map(table.problems.map((p) => [`${p.row}:${p.column}`, p]))

  const errors: RowError[] = []
  const parsedRows: ParsedRow[] = []
  const provinceNotes: ProvinceNote[] = []
  const errorRows = new Set<number>()
  const refuse = (e: RowError) => {
    errors.push(e)
    errorRows.add(e.row)
  }
  let dataRows = 0
  for (const sheetRow of table.rows.slice(headerIndex + 1)) {
    if (!nonBlank(sheetRow)) continue
    dataRows++
    const values: Partial = {}
    for (const column of columns) {
      const raw = sheetRow.cells[column.index] ?? ''
      const problem = problems.get(`${sheetRow.row}:${column.index}`)
      if (problem) {
        refuse({
          row: sheetRow.row,
          column: column.header,
          value: problem.value,
          error: problem.problem,
        })
        continue
      }
      const read = readCell(column.field, raw, context, values)
      if ('error' in read) {
        refuse({ row: sheetRow.row, column: column.header, value: raw, ...read })
      } else if (read.note) {
        provinceNotes.push({
          row: sheetRow.row,
          value: cleanText(raw),
          code: read.note,
          province: context.provinces.nameOf(read.note),
        })
      }
    }
    parsedRows.push({ row: sheetRow.row, values })
  }

  const headerOf = (key: RegistryKey) => columns.find((c) => c.field.key === key)?.header ?? key

  // A code on two rows is an error on both: neither row can be trusted to be the one meant.
  const rowsByCode = new Map<string, number[]>()
  for (const r of parsedRows) {
    if (r.values.code === undefined) continue
    rowsByCode.set(r.values.code, [...(rowsByCode.get(r.values.code) ?? []), r.row])
  }
  for (const [code, rows] of rowsByCode) {
    if (rows.length < 2) continue
    for (const row of rows) {
      refuse({
        row,
        column: headerOf('code'),
        value: code,
        error: 'duplicateCode',
        params: { rows: rows.filter((r) => r !== row).join(', ') },
      })
    }
  }

  const byCode = new Map(existing.map((f) => [f.code, f]))
  // "04004" typed into a number cell arrives as "4004": caught before it becomes a new facility.
  const byStrippedCode = new Map(
    existing.filter((f) => /^0\d*$/.test(f.code)).map((f) => [f.code.replace(/^0+/, ''), f.code]),
  )
  const inserts: PlannedInsert[] = []
  const updates: PlannedUpdate[] = []
  let unchanged = 0
  for (const r of parsedRows) {
    const code = r.values.code
    const before = code === undefined ? undefined : byCode.get(code)
    if (code !== undefined && !before && /^\d+$/.test(code)) {
      const padded = byStrippedCode.get(code)
      if (padded) {
        refuse({
          row: r.row,
          column: headerOf('code'),
          value: code,
          error: 'leadingZeroLost',
          params: { code: padded },
        })
      }
    }
    if (errorRows.has(r.row)) continue
    const merged: Partial = before ? { ...before, ...r.values } : { ...defaults(), ...r.values }
    if (!isComplete(merged)) continue // unreachable: a missing required cell is an error above
    if (merged.ownership === 'private' && merged.autonomy_group !== null) {
      refuse({
        row: r.row,
        column: headerOf(present.has('autonomy_group') ? 'autonomy_group' : 'ownership'),
        value: String(merged.autonomy_group),
        error: 'autonomyPrivate',
      })
      continue
    }
    const record: RegistryRecord = pick(merged)
    if (!before) {
      inserts.push({ row: r.row, record })
      continue
    }
    const changes = diff(before, record)
    if (changes.length === 0) unchanged++
    else {
      updates.push({
        row: r.row,
        id: before.id,
        code: before.code,
        name: record.name,
        closed: before.closed_at !== null,
        changes,
        record,
      })
    }
  }

  const inFile = new Set(rowsByCode.keys())
  const missing = existing
    .filter((f) => f.closed_at === null && !inFile.has(f.code))
    .map((f) => ({ id: f.id, code: f.code, name: f.name }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column))

  return {
    kind: 'preview',
    format: table.format,
    rows: dataRows,
    ignoredColumns: ignored,
    absentColumns: FIELDS.filter((f) => !present.has(f.key)).map((f) => f.header),
    counts: {
      new: inserts.length,
      changed: updates.length,
      unchanged,
      errorRows: errorRows.size,
    },
    errors,
    inserts,
    updates,
    missing,
    provinceNotes,
  }
}

/** Only the registry's columns (an existing row also carries id and closed_at). */
function pick(values: RegistryRecord): RegistryRecord {
  const out: Partial = {}
  for (const f of FIELDS) assign(out, f, values[f.key])
  if (!isComplete(out)) throw new Error('unreachable: every column was copied')
  return out
}

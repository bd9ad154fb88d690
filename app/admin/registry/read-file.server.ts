/**
 * Turning an uploaded registry file into rows of text cells: a CSV (UTF-8,
 * with or without BOM, comma or semicolon, LF or CRLF) or the first sheet of
 * an XLSX workbook. The type is decided by the bytes, never by the name.
 * Formulas in XLSX cells are never evaluated: a cell that has a formula gives
 * the value the spreadsheet cached when it was saved, and one without a cached
 * value is refused.
 */
import type ExcelJS from 'exceljs'
import { controlCharacterIn, showControlCharacters } from '../../utils/control-characters.ts'
import { loadExcelJS } from '../../utils/exceljs.server.ts'
import { parseCsv, sniffDelimiter } from './csv.ts'

export const MAX_REGISTRY_BYTES = 20 * 1024 * 1024
/** Far above the ~13,000 facilities of the country; bounds the work of one preview. */
export const MAX_REGISTRY_ROWS = 50_000

export interface SheetRow {
  /** The row number a spreadsheet or editor shows (1-based, blank rows counted). */
  row: number
  cells: string[]
}

/**
 * A cell that could not be read as text (an XLSX formula without a value, an
 * error value) or holds a control character no record may (value shows it as `[U+0000]`).
 */
export interface CellProblem {
  row: number
  /** 0-based column index. */
  column: number
  problem: 'formulaWithoutValue' | 'errorValue' | 'controlCharacter'
  value: string
}

export type RegistryFileFormat = 'csv' | 'xlsx'

export type ReadResult =
  | { kind: 'table'; format: RegistryFileFormat; rows: SheetRow[]; problems: CellProblem[] }
  | {
      kind: 'refused'
      reason:
        | 'empty'
        | 'tooLarge'
        | 'tooManyRows'
        | 'notText'
        | 'utf16'
        | 'legacyXls'
        | 'badXlsx'
        | 'noSheet'
        | 'unterminatedQuote'
      line?: number
    }

const starts = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b)

/** What the bytes are: an XLSX (zip) file, an old binary .xls, UTF-16 text, or anything else. */
export function sniffRegistryFile(bytes: Uint8Array): 'xlsx' | 'xls' | 'utf16' | 'other' {
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'xlsx'
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'xls'
  if (starts(bytes, [0xff, 0xfe]) || starts(bytes, [0xfe, 0xff])) return 'utf16'
  return 'other'
}

export async function readRegistryFile(bytes: Uint8Array): Promise<ReadResult> {
  if (bytes.byteLength === 0) return { kind: 'refused', reason: 'empty' }
  if (bytes.byteLength > MAX_REGISTRY_BYTES) return { kind: 'refused', reason: 'tooLarge' }
  switch (sniffRegistryFile(bytes)) {
    case 'xlsx':
      return readXlsx(bytes)
    case 'xls':
      return { kind: 'refused', reason: 'legacyXls' }
    case 'utf16':
      return { kind: 'refused', reason: 'utf16' }
    case 'other':
      return readCsv(bytes)
  }
}

function readCsv(bytes: Uint8Array): ReadResult {
  let text: string
  try {
    // `fatal`: a file in another encoding (Windows-1258, TCVN3) is refused, not garbled.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return { kind: 'refused', reason: 'notText' }
  }
  if (text.includes('\u0000')) return { kind: 'refused', reason: 'notText' }
  const parsed = parseCsv(text, sniffDelimiter(text))
  if ('unterminatedQuoteAt' in parsed) {
    return { kind: 'refused', reason: 'unterminatedQuote', line: parsed.unterminatedQuoteAt }
  }
  if (parsed.records.length > MAX_REGISTRY_ROWS + 1)
    return { kind: 'refused', reason: 'tooManyRows' }
  const rows = parsed.records.map((r) => ({ row: r.line, cells: r.fields }))
  return { kind: 'table', format: 'csv', rows, problems: controlCharacterProblems(rows) }
}

async function readXlsx(bytes: Uint8Array): Promise<ReadResult> {
  const workbook = new (await loadExcelJS()).Workbook()
  try {
    // exceljs declares its `Buffer` as an ArrayBuffer; a copy of the bytes is one.
    await workbook.xlsx.load(new Uint8Array(bytes).buffer)
  } catch {
    return { kind: 'refused', reason: 'badXlsx' }
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) return { kind: 'refused', reason: 'noSheet' }
  if (sheet.actualRowCount > MAX_REGISTRY_ROWS + 1)
    return { kind: 'refused', reason: 'tooManyRows' }
  const rows: SheetRow[] = []
  const problems: CellProblem[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    row.eachCell({ includeEmpty: true }, (cell, columnNumber) => {
      const read = cellText(cell.value)
      cells[columnNumber - 1] = typeof read === 'string' ? read : ''
      if (typeof read !== 'string') {
        problems.push({ row: rowNumber, column: columnNumber - 1, ...read })
      }
    })
    rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? '') })
  })
  return {
    kind: 'table',
    format: 'xlsx',
    rows,
    problems: [...problems, ...controlCharacterProblems(rows)],
  }
}

/** Each cell holding a control character other than tab, LF and CR (app/utils/control-characters.ts). */
function controlCharacterProblems(rows: readonly SheetRow[]): CellProblem[] {
  return rows.flatMap((r) =>
    r.cells.flatMap((cell, column) =>
      controlCharacterIn(cell) === null
        ? []
        : [
            {
              row: r.row,
              column,
              problem: 'controlCharacter' as const,
              value: showControlCharacters(cell),
            },
          ],
    ),
  )
}

type CellRead = string | { problem: CellProblem['problem']; value: string }

/** A cell's value as text: formulas by their cached result, rich text joined, links by their text. */
export function cellText(value: ExcelJS.CellValue): CellRead {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if ('error' in value) return { problem: 'errorValue', value: value.error }
  if ('richText' in value) return value.richText.map((r) => r.text).join('')
  if ('hyperlink' in value) {
    const text: unknown = value.text
    // exceljs hands a link over rich text as { text: { richText } }.
    if (typeof text === 'object' && text !== null && 'richText' in text) {
      const parts: unknown = text.richText
      return Array.isArray(parts)
        ? parts
            .map((r: unknown) => (typeof r === 'object' && r && 'text' in r ? String(r.text) : ''))
            .join('')
        : ''
    }
    return typeof text === 'string' ? text : ''
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = 'formula' in value && value.formula ? value.formula : ''
    if (value.result === undefined || value.result === null) {
      return { problem: 'formulaWithoutValue', value: `=${formula}` }
    }
    return cellText(value.result)
  }
  return ''
}

/**
 * Writing CSV for spreadsheets (shared by the wave exports and the registry
 * export): UTF-8 with BOM, RFC 4180, numbers as numbers, and text cells
 * escaped against formula injection.
 */

export type Cell = string | number | boolean | null

/**
 * Text a spreadsheet would run as a formula when it opens a CSV: a first
 * character that starts a formula (`= + - @`, their full-width forms
 * `＝ ＋ － ＠` which spreadsheets fold to ASCII, and `|` for DDE), possibly
 * after leading spaces (spreadsheets trim them), or a leading tab, CR or LF.
 */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@|\uFF1D\uFF0B\uFF0D\uFF20])/u

/**
 * A CSV text cell that would run as a formula gets a leading apostrophe.
 * Only for CSV: an XLSX text cell is typed as a string and never runs, so
 * workbooks keep text exactly as entered.
 * @example escapeFormula('＝1+1') // "'＝1+1"
 */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/**
 * Undoes `escapeFormula` when a file comes back (the registry import): a
 * leading apostrophe before text that would start a formula is how the export
 * (and a spreadsheet user) marks text that must not run; the text is what follows.
 * @example unescapeFormula("'=SUM(A1)") // "=SUM(A1)"
 */
export function unescapeFormula(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text
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

/**
 * Writing CSV for spreadsheets (shared by the wave exports and the registry
 * export): UTF-8 with BOM, RFC 4180, numbers as numbers, and text cells
 * escaped against formula injection.
 */

export type Cell = string | number | boolean | null

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

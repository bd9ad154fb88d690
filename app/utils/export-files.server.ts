/**
 * What the downloads share (the list exports and the analysts' files): the
 * file as an attachment, and tables as workbook sheets — one sheet per table, its first row the bold, frozen header; numbers
 * stay numbers, text cells are typed as text, so a value such as "=1+1" or
 * "04004" is kept exactly as entered and never runs as a formula (CSV needs
 * `escapeFormula` for that; a workbook does not).
 */
import type { Cell } from './csv.ts'
import { loadExcelJS } from './exceljs.server.ts'

export interface SheetTable {
  name: string
  /** The header first, then the rows. */
  rows: readonly (readonly Cell[])[]
  /** Each column's width in characters, by 0-based column; exceljs's default otherwise. */
  width?: (column: number) => number
  /** Number formats of number cells, by 0-based column (e.g. '0.00' for points). */
  numberFormats?: Readonly<Record<number, string>>
  /** A filter on the header row. */
  autoFilter?: boolean
}

/** Every workbook the app writes from tables: one sheet per table, as the module comment says. */
export async function tablesXlsx(
  sheets: readonly SheetTable[],
  options: { creator?: string } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new (await loadExcelJS()).Workbook()
  if (options.creator !== undefined) workbook.creator = options.creator
  for (const table of sheets) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] })
    for (const row of table.rows) {
      const added = sheet.addRow([...row])
      added.eachCell((cell, column) => {
        if (typeof cell.value === 'string') cell.numFmt = '@'
        const format = table.numberFormats?.[column - 1]
        if (typeof cell.value === 'number' && format !== undefined) cell.numFmt = format
      })
    }
    sheet.getRow(1).font = { bold: true }
    if (table.autoFilter) {
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columnCount } }
    }
    const width = table.width
    if (width) {
      sheet.columns.forEach((column, i) => {
        column.width = width(i)
      })
    }
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

export const FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const

/** A download: never cached (the rows are scoped to the reader), saved as `filename`. */
export function fileResponse(
  filename: string,
  format: keyof typeof FILE_TYPES,
  body: string | Uint8Array,
): Response {
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    headers: {
      'Content-Type': FILE_TYPES[format],
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}

/**
 * exceljs, loaded on first use. It is the largest module the server would
 * otherwise import at start (about a second of a cold start on this 2-core
 * machine), and only XLSX exports and file imports need it.
 */
import type ExcelJS from 'exceljs'

let loading: Promise<typeof ExcelJS> | undefined

export function loadExcelJS(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((m) => m.default)
  return loading
}

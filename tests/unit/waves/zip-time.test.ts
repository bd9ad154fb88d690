import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { dosDateTime, fixZipTimestamps } from '../../../app/waves/zip-time.ts'

async function workbookBytes(at: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.created = at
  workbook.modified = at
  workbook.addWorksheet('Sheet').addRow(['x', 1])
  return fixZipTimestamps(new Uint8Array(await workbook.xlsx.writeBuffer()), at)
}

describe('fixZipTimestamps', () => {
  it('makes the same workbook byte-identical across seconds, and it still opens', async () => {
    const at = new Date('2026-11-01T08:30:14.000Z')
    const a = await workbookBytes(at)
    await new Promise((done) => setTimeout(done, 2100))
    const b = await workbookBytes(at)
    expect(a.equals(b)).toBe(true)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Uint8Array.from(a).buffer)
    expect(workbook.getWorksheet('Sheet')?.getCell('B1').value).toBe(1)
  })

  it('encodes DOS date and time from the UTC parts', () => {
    expect(dosDateTime(new Date('2026-11-01T08:30:14Z'))).toEqual({
      time: (8 << 11) | (30 << 5) | 7,
      date: (46 << 9) | (11 << 5) | 1,
    })
  })

  it('refuses bytes that are not a zip', () => {
    expect(() => fixZipTimestamps(new Uint8Array(100), new Date())).toThrow(/not a zip/)
  })
})

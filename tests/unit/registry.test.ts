/** The registry importer's pure parts: CSV reading, headers, cells, provinces. */
import { describe, expect, it } from 'vitest'
import { parseCsv, sniffDelimiter } from '../../app/admin/registry/csv.ts'
import { FIELDS, cleanText, fieldForHeader } from '../../app/admin/registry/fields.ts'
import { buildProvinceResolver, provinceKey } from '../../app/admin/registry/provinces.ts'
import { escapeFormula, unescapeFormula } from '../../app/utils/csv.ts'

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes and line breaks, counting the line each record starts on', () => {
    const text = 'a;b\r\n1;"x;\r\ny ""z"""\r\n\r\n3;4\n5;6\r7;8'
    expect(parseCsv(text, ';')).toEqual({
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', 'x;\r\ny "z"'] },
        { line: 4, fields: [''] },
        { line: 5, fields: ['3', '4'] },
        { line: 6, fields: ['5', '6'] },
        { line: 7, fields: ['7', '8'] },
      ],
    })
  })

  it('keeps quotes inside an unquoted field and reports an unterminated quote', () => {
    expect(parseCsv('=A("x","y"),2\n', ',')).toEqual({
      records: [{ line: 1, fields: ['=A("x"', 'y)', '2'] }],
    })
    expect(parseCsv('a\n"b\nc', ',')).toEqual({ unterminatedQuoteAt: 2 })
  })

  it('sniffs the delimiter on the header line only', () => {
    expect(sniffDelimiter('mã;tên;tỉnh\n1,2,3,4,5\n')).toBe(';')
    expect(sniffDelimiter('\n\ncode,name,"a;b;c"\n')).toBe(',')
  })
})

describe('headers and cells', () => {
  it('matches headers case-, space- and diacritic-insensitively, in English or Vietnamese', () => {
    const key = (h: string) => fieldForHeader(h)?.key
    expect(key('Mã cơ sở')).toBe('code')
    expect(key('MA CO SO')).toBe('code')
    expect(key('Tỉnh/Thành phố')).toBe('province_code')
    expect(key('tinh thanh pho')).toBe('province_code')
    expect(key('Trạng thái EMR'.normalize('NFD'))).toBe('emr_status')
    expect(key('EMR status')).toBe('emr_status')
    expect(key('số giường')).toBe('beds')
    expect(key('Ghi chú')).toBeUndefined()
  })

  it('cleans text to NFC with single spaces, and undoes only the export’s own formula escape', () => {
    expect(cleanText('  Bệnh\u00a0 viện\t\nA '.normalize('NFD'))).toBe('Bệnh viện A')
    for (const name of ['=1+1', '+84 24', '-x', '@SUM(A1)', 'Bệnh viện']) {
      expect(unescapeFormula(escapeFormula(name))).toBe(name)
    }
    expect(unescapeFormula("'Bệnh viện")).toBe("'Bệnh viện")
  })

  it('reads beds as whole numbers, with thousands separators but no decimals', () => {
    const beds = FIELDS.find((f) => f.key === 'beds')
    const context = { provinces: buildProvinceResolver([], []) }
    const read = (cell: string) => {
      const r = beds?.parse(cell, context)
      return r?.ok ? r.value : r?.error
    }
    expect(read('1200')).toBe(1200)
    expect(read('1.200')).toBe(1200)
    expect(read('1 200')).toBe(1200)
    expect(read('12,5')).toBe('badBeds')
    expect(read('1.2')).toBe('badBeds')
    expect(read('-1')).toBe('badBeds')
  })
})

describe('the province resolver', () => {
  const current = [
    { code: '38', name: 'Thanh Hoá', fullName: 'Tỉnh Thanh Hoá', nameEn: 'Thanh Hoa' },
    { code: '79', name: 'Hồ Chí Minh', fullName: 'Thành phố Hồ Chí Minh', nameEn: 'Ho Chi Minh' },
    { code: '80', name: 'Tây Ninh', fullName: 'Tỉnh Tây Ninh', nameEn: 'Tay Ninh' },
  ]
  const old = [
    { code: '38', name: 'Tỉnh Thanh Hóa', newCodes: ['38'] },
    { code: '74', name: 'Tỉnh Bình Dương', newCodes: ['79'] },
    // Not in the real data (no province was split); the rule must still hold.
    { code: '99', name: 'Tỉnh Giả Định', newCodes: ['79', '80'] },
  ]
  const resolver = buildProvinceResolver(current, old)

  it('reads codes (leading zero optional), current names in any spelling and old names', () => {
    expect(resolver.resolve('38')).toEqual({ ok: true, code: '38', from: null })
    expect(resolver.resolve('thanh hóa')).toEqual({ ok: true, code: '38', from: null })
    expect(resolver.resolve('TP. Hồ Chí Minh')).toEqual({ ok: true, code: '79', from: null })
    expect(resolver.resolve('Bình Dương'.normalize('NFD'))).toEqual({
      ok: true,
      code: '79',
      from: { code: '74', name: 'Tỉnh Bình Dương' },
    })
    expect(resolver.resolve('74')).toMatchObject({ ok: true, code: '79' })
    expect(resolver.resolve('Hà Tây')).toEqual({ ok: false, error: 'provinceUnknown' })
    expect(resolver.resolve('7')).toEqual({ ok: false, error: 'provinceUnknown' })
  })

  it('refuses an old province that went to several new ones, listing the candidates', () => {
    expect(resolver.resolve('Giả Định')).toEqual({
      ok: false,
      error: 'provinceSplit',
      from: 'Tỉnh Giả Định',
      candidates: ['79', '80'],
    })
    expect(resolver.resolve('99')).toMatchObject({ error: 'provinceSplit' })
  })

  it('folds the unit word, tone placement and punctuation out of the key', () => {
    expect(provinceKey('Tỉnh Bà Rịa - Vũng Tàu')).toBe(provinceKey('Bà Rịa-Vũng Tàu'))
    expect(provinceKey('Thành phố Huế')).toBe('hue')
    expect(provinceKey('Khánh Hoà')).toBe(provinceKey('Khánh Hòa'))
  })
})

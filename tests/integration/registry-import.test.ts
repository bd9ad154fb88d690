/**
 * The registry importer on a real SQLite file: every kind of refused row and
 * file (nothing written), the example file, a messy real-world list, every
 * old province, idempotent re-import, export → import round trips, closing.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { afterAll, describe, expect, it } from 'vitest'
import { registryCsv, registryXlsx } from '../../app/admin/registry/export.server.ts'
import { setFacilityStatus } from '../../app/admin/registry/close.server.ts'
import {
  applyRegistryImport,
  previewRegistryImport,
  type ApplyInput,
} from '../../app/admin/registry/import.server.ts'
import type { RegistryPreview } from '../../app/admin/registry/preview.ts'
import { loadOldProvinces } from '../../app/admin/registry/provinces.server.ts'
import { listScopedFacilities } from '../../app/models/wave-input.server.ts'
import { foldSearchKey } from '../../db/text.ts'

const { db } = openTestDatabase()
afterAll(async () => {
  await db.destroy()
})

const HEADER = 'code,name,province,tier,ownership,beds,autonomy_group,emr_status'
const utf8 = (text: string) => new TextEncoder().encode(text)
const csv = (...lines: string[]) => utf8(`${lines.join('\n')}\n`)

async function preview(bytes: Uint8Array): Promise<RegistryPreview> {
  const result = await previewRegistryImport(db, bytes)
  if (result.kind !== 'preview') throw new Error(`refused: ${JSON.stringify(result)}`)
  return result.preview
}

const applyInput = (bytes: Uint8Array, fileName = 'test.csv'): ApplyInput => ({
  bytes,
  fileName,
  planHash: null,
  userId: null,
  ip: null,
  requestId: null,
  now: '2026-12-01T00:00:00.000Z',
})

/** Everything an import could write, to prove a refused one wrote nothing. */
async function snapshot() {
  const [facilities, changes, audit] = await Promise.all([
    db.selectFrom('facilities').selectAll().orderBy('id').execute(),
    db.selectFrom('facility_changes').select('id').execute(),
    db.selectFrom('audit_log').select('id').where('action', '=', 'registry.import').execute(),
  ])
  return { facilities, changes: changes.length, audit: audit.length }
}

async function facilityByCode(code: string) {
  return db.selectFrom('facilities').selectAll().where('code', '=', code).executeTakeFirst()
}

describe('the registry importer', () => {
  it('refuses every kind of bad row with its row, column and value, and writes nothing', async () => {
    const before = await snapshot()
    const bytes = csv(
      HEADER,
      'T-001,,38,provincial,public,100,2,none', // 2: name required
      'T-002,Bệnh viện A,Atlantis,provincial,public,100,2,none', // 3: province unknown
      'T-003,Bệnh viện B,38,district,public,100,2,none', // 4: tier
      'T-004,Bệnh viện C,38,provincial,state,100,2,none', // 5: ownership
      'T-005,Bệnh viện D,38,provincial,public,-3,2,none', // 6: beds negative
      'T-006,Bệnh viện E,38,provincial,public,12.5,2,none', // 7: beds not whole
      'T-007,Bệnh viện F,38,provincial,public,100,7,none', // 8: autonomy
      'T-008,Bệnh viện G,38,provincial,public,100,2,maybe', // 9: emr
      'T-009,Bệnh viện H,38,provincial,private,100,2,none', // 10: private with a group
      'T 010,Bệnh viện I,38,provincial,public,100,2,none', // 11: bad code
      'T-011,Bệnh viện J,38,provincial,public,100,2,none', // 12: duplicate …
      'T-011,Bệnh viện K,38,provincial,public,100,2,none', // 13: … on both rows
      '4004,Bệnh viện L,04,basic,public,100,3,none', // 14: 04004 lost its zero
      `T-012,${'x'.repeat(201)},38,provincial,public,100,2,none`, // 15: name too long
      'T-013,Bệnh viện M,38,provincial,public,60000,2,none', // 16: beds too large
      ',Bệnh viện N,38,provincial,public,100,2,none', // 17: code required
    )
    const result = await applyRegistryImport(db, applyInput(bytes))
    expect(result.kind).toBe('errors')
    if (result.kind !== 'errors') return
    const found = result.preview.errors.map((e) => [e.row, e.column, e.value, e.error])
    expect(found).toEqual([
      [2, 'name', '', 'required'],
      [3, 'province', 'Atlantis', 'provinceUnknown'],
      [4, 'tier', 'district', 'badTier'],
      [5, 'ownership', 'state', 'badOwnership'],
      [6, 'beds', '-3', 'badBeds'],
      [7, 'beds', '12.5', 'badBeds'],
      [8, 'autonomy_group', '7', 'badAutonomy'],
      [9, 'emr_status', 'maybe', 'badEmr'],
      [10, 'autonomy_group', '2', 'autonomyPrivate'],
      [11, 'code', 'T 010', 'badCode'],
      [12, 'code', 'T-011', 'duplicateCode'],
      [13, 'code', 'T-011', 'duplicateCode'],
      [14, 'code', '4004', 'leadingZeroLost'],
      [15, 'name', 'x'.repeat(201), 'tooLong'],
      [16, 'beds', '60000', 'bedsTooLarge'],
      [17, 'code', '', 'required'],
    ])
    expect(result.preview.errors[10]?.params).toEqual({ rows: '13' })
    expect(result.preview.counts.errorRows).toBe(16)
    expect(await snapshot()).toEqual(before)
  })

  it('refuses whole files it cannot read, naming why', async () => {
    const reasons = async (bytes: Uint8Array) => {
      const r = await previewRegistryImport(db, bytes)
      return r.kind === 'refused' ? r : null
    }
    expect(await reasons(new Uint8Array())).toMatchObject({ reason: 'empty' })
    expect(await reasons(csv('code,name,tier'))).toMatchObject({
      reason: 'missingColumns',
      columns: ['province', 'ownership', 'beds'],
    })
    expect(await reasons(csv(`${HEADER},mã cơ sở`))).toMatchObject({
      reason: 'duplicateColumn',
      columns: ['code', 'mã cơ sở'],
    })
    expect(await reasons(csv('', '  ', ''))).toMatchObject({ reason: 'noHeader' })
    expect(await reasons(csv(HEADER, 'X,"open quote,38'))).toMatchObject({
      reason: 'unterminatedQuote',
      line: 2,
    })
    expect(await reasons(new Uint8Array([0xff, 0xfe, 0x63, 0x00]))).toMatchObject({
      reason: 'utf16',
    })
    expect(await reasons(new Uint8Array([0x63, 0x6f, 0xe0, 0x2c]))).toMatchObject({
      reason: 'notText',
    })
    expect(
      await reasons(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])),
    ).toMatchObject({ reason: 'legacyXls' })
    expect(await reasons(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toMatchObject({
      reason: 'badXlsx',
    })
    expect(await reasons(new Uint8Array(20 * 1024 * 1024 + 1).fill(0x41))).toMatchObject({
      reason: 'tooLarge',
    })
  })

  it('imports the example file in the repository cleanly', async () => {
    const bytes = new Uint8Array(readFileSync('db/data/registry-example.csv'))
    const p = await preview(bytes)
    expect(p.errors).toEqual([])
    expect(p.counts).toMatchObject({ new: 8, changed: 0, errorRows: 0 })
    // Old names and codes went to the new provinces: Hà Giang → Tuyên Quang, Quảng Nam → Đà Nẵng.
    expect(p.provinceNotes.map((n) => [n.value, n.code])).toEqual([
      ['Tỉnh Hà Giang', '08'],
      ['Bình Dương', '79'],
      ['02', '08'],
      ['Đắk Nông', '68'],
      ['Quảng Nam', '48'],
    ])
    const result = await applyRegistryImport(db, applyInput(bytes, 'registry-example.csv'))
    expect(result.kind).toBe('applied')
    const hagiang = await facilityByCode('VD-001')
    expect(hagiang).toMatchObject({
      province_code: '08',
      tier: 'provincial',
      emr_status: 'in_progress',
      phone: '0219 3866 000',
      closed_at: null,
    })
    expect((await facilityByCode('VD-006'))?.name).toBe('Bệnh viện Phục hồi chức năng; Đắk Nông')
  })

  it('imports a messy real-world list: mixed old and new names, NFD, whitespace, CRLF, blank lines, formulas', async () => {
    const nfd = (s: string) => s.normalize('NFD')
    const lines = [
      '\uFEFFMã cơ sở ; Tên cơ sở ; Tỉnh/Thành phố ; TUYẾN ; Loại hình ; Số giường ; Trạng thái EMR ; Ghi chú',
      '',
      `M-001;${nfd('  Bệnh   viện Đa khoa  Hoà Bình ')};${nfd('Tỉnh Hoà Bình')};Tỉnh;Công lập;400;Đã vận hành;old name, NFD`,
      `M-002;Bệnh viện Nhi Thanh Hóa;thanh hoa;tỉnh;công lập;1.200;;new name without marks, thousands`,
      'M-003;=HYPERLINK("http://example.com","Bệnh viện X");Thành phố Hồ Chí Minh;cơ bản;ngoài công lập;50;;formula-looking',
      '   ;  ;  ;  ',
      'M-004;"+Bệnh viện ""Mắt"" Sài Gòn";TP. Hồ Chí Minh;cơ bản;ngoài công lập;30;chưa triển khai;',
      `M-005;Bệnh viện Đa khoa Bà Rịa;Bà Rịa-Vũng Tàu;tỉnh;công lập;700;đang triển khai;`,
    ]
    const bytes = utf8(`${lines.join('\r\n')}\r\n\r\n`)
    const p = await preview(bytes)
    expect(p.errors).toEqual([])
    expect(p.ignoredColumns).toEqual(['Ghi chú'])
    expect(p.counts).toMatchObject({ new: 5, errorRows: 0 })
    expect(p.inserts.map((i) => i.row)).toEqual([3, 4, 5, 7, 8])
    expect((await applyRegistryImport(db, applyInput(bytes))).kind).toBe('applied')
    const m1 = await facilityByCode('M-001')
    expect(m1?.name).toBe('Bệnh viện Đa khoa Hoà Bình')
    expect(m1?.name).toBe(m1?.name.normalize('NFC'))
    expect(m1?.province_code).toBe('25') // Hoà Bình went to Phú Thọ
    expect(m1?.search_key).toBe(foldSearchKey('Bệnh viện Đa khoa Hòa Bình'))
    expect((await facilityByCode('M-002'))?.beds).toBe(1200)
    expect((await facilityByCode('M-003'))?.name).toBe(
      '=HYPERLINK("http://example.com","Bệnh viện X")',
    )
    expect((await facilityByCode('M-004'))?.name).toBe('+Bệnh viện "Mắt" Sài Gòn')
    expect((await facilityByCode('M-005'))?.province_code).toBe('79')
    // The export escapes the formula-looking names; importing it back restores them unchanged.
    const { csv: exported } = await registryCsv(db)
    expect(exported).toContain(`M-003,"'=HYPERLINK(""http://example.com"",""Bệnh viện X"")",79,`)
    expect(exported).toContain(`M-004,"'+Bệnh viện ""Mắt"" Sài Gòn",79,`)
  })

  it('maps every one of the 63 old provinces, by name with and without its unit word, in NFD and by code', async () => {
    const old = loadOldProvinces()
    expect(old).toHaveLength(63)
    const rows: string[] = []
    old.forEach((p, i) => {
      const bare = p.name.replace(/^(Tỉnh|Thành phố) /, '')
      const n = String(i).padStart(2, '0')
      rows.push(`P${n}-a,Cơ sở ${n},"${p.name}",basic,public,10,4,none`)
      rows.push(`P${n}-b,Cơ sở ${n},"${bare.normalize('NFD')}",basic,public,10,4,none`)
      rows.push(`P${n}-c,Cơ sở ${n},${p.code},basic,public,10,4,none`)
    })
    const p = await preview(csv(HEADER, ...rows))
    const placed = new Map(p.inserts.map((i) => [i.record.code, i.record.province_code]))
    const refused = new Map(p.errors.map((e) => [e.row, e]))
    old.forEach((province, i) => {
      const n = String(i).padStart(2, '0')
      for (const [k, suffix] of ['a', 'b', 'c'].entries()) {
        const row = 2 + i * 3 + k
        if (province.newCodes.length === 1) {
          expect(placed.get(`P${n}-${suffix}`), `${province.name} (${suffix})`).toBe(
            province.newCodes[0],
          )
        } else {
          // A province split between several new ones is refused with the candidates.
          expect(refused.get(row)?.error, province.name).toBe('provinceSplit')
          for (const c of province.newCodes)
            expect(refused.get(row)?.params?.candidates).toContain(c)
        }
      }
    })
  })

  it('updates changed fields only, shows them old → new, and changes nothing on a second import', async () => {
    const target = await facilityByCode('VD-002')
    expect(target).toBeDefined()
    const bytes = csv(
      'code,name,province,tier,ownership,beds,emr_status,phone',
      'VD-002,Bệnh viện Đa khoa Thủ Dầu Một,Bình Dương,provincial,public,320,live,0274 3822 000',
    )
    const p = await preview(bytes)
    expect(p.counts).toMatchObject({ new: 0, changed: 1, unchanged: 0 })
    expect(p.absentColumns).toEqual(['autonomy_group', 'address'])
    expect(p.updates[0]?.changes).toEqual([
      { field: 'tier', old: 'basic', new: 'provincial' },
      { field: 'beds', old: 300, new: 320 },
      { field: 'emr_status', old: 'none', new: 'live' },
      { field: 'phone', old: null, new: '0274 3822 000' },
    ])
    const first = await applyRegistryImport(db, applyInput(bytes))
    expect(first).toMatchObject({ kind: 'applied', counts: { changed: 1 } })
    const after = await facilityByCode('VD-002')
    // An optional column left out of the file leaves the field alone.
    expect(after).toMatchObject({ tier: 'provincial', beds: 320, autonomy_group: 3 })
    const history = await db
      .selectFrom('facility_changes')
      .select(['kind', 'field', 'old_value', 'new_value', 'file_sha256'])
      .where('facility_id', '=', after?.id ?? 0)
      .orderBy('id')
      .execute()
    expect(history.map((h) => [h.kind, h.field, h.old_value, h.new_value])).toEqual([
      ['created', null, null, null],
      ['updated', 'tier', 'basic', 'provincial'],
      ['updated', 'beds', '300', '320'],
      ['updated', 'emr_status', 'none', 'live'],
      ['updated', 'phone', null, '0274 3822 000'],
    ])
    const sha = first.kind === 'applied' ? first.sha256 : ''
    expect(history[1]?.file_sha256).toBe(sha)
    const audit = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'detail_json'])
      .where('action', '=', 'registry.import')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit.entity_id).toBe(sha)
    expect(JSON.parse(audit.detail_json)).toMatchObject({ sha256: sha, counts: { changed: 1 } })

    const before = await snapshot()
    const second = await applyRegistryImport(db, applyInput(bytes))
    expect(second).toMatchObject({ kind: 'applied', counts: { new: 0, changed: 0, unchanged: 1 } })
    const again = await snapshot()
    expect(again.facilities).toEqual(before.facilities)
    expect(again.changes).toBe(before.changes)
  })

  it('round-trips: the CSV and XLSX exports import back with nothing to change', async () => {
    const { csv: text, rows } = await registryCsv(db)
    const fromCsv = await preview(utf8(text))
    expect(fromCsv.errors).toEqual([])
    expect(fromCsv.counts).toEqual({ new: 0, changed: 0, unchanged: rows, errorRows: 0 })
    expect(fromCsv.missing).toEqual([])
    const { bytes } = await registryXlsx(db, 'Danh mục')
    const fromXlsx = await previewRegistryImport(db, bytes)
    expect(fromXlsx.kind).toBe('preview')
    if (fromXlsx.kind !== 'preview') return
    expect(fromXlsx.preview.format).toBe('xlsx')
    expect(fromXlsx.preview.errors).toEqual([])
    expect(fromXlsx.preview.counts).toEqual({ new: 0, changed: 0, unchanged: rows, errorRows: 0 })
  })

  it('reads the cached value of an XLSX formula and refuses one without, never evaluating', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Sheet1')
    sheet.addRow(['code', 'name', 'province', 'tier', 'ownership', 'beds'])
    sheet.addRow([
      'X-001',
      'Bệnh viện công thức',
      '38',
      'basic',
      'public',
      { formula: '40+2', result: 42 },
    ])
    sheet.addRow(['X-002', 'Bệnh viện chưa tính', '38', 'basic', 'public', { formula: '40+2' }])
    sheet.addRow(['X-003', 'Bệnh viện lỗi', '38', 'basic', 'public', { error: '#N/A' }])
    sheet.addRow([4004, 'Bệnh viện số', 4, 'basic', 'public', 10])
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer())
    const p = await preview(bytes)
    expect(p.inserts.map((i) => [i.record.code, i.record.beds])).toEqual([['X-001', 42]])
    expect(p.errors.map((e) => [e.row, e.column, e.value, e.error])).toEqual([
      [3, 'beds', '=40+2', 'formulaWithoutValue'],
      [4, 'beds', '#N/A', 'errorValue'],
      [5, 'code', '4004', 'leadingZeroLost'],
    ])
  })

  it('closes a facility: not ranked, not missing, audited; reopening brings it back', async () => {
    const facility = await facilityByCode('VD-008')
    const admin = await db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'quantri')
      .executeTakeFirstOrThrow()
    const input = {
      facilityId: facility?.id ?? 0,
      reason: 'Sáp nhập vào Bệnh viện Đa khoa Đà Nẵng',
      userId: admin.id,
      ip: null,
      requestId: null,
      now: '2026-12-02T00:00:00.000Z',
    }
    expect(await setFacilityStatus(db, { ...input, close: true })).toEqual({
      kind: 'done',
      closed: true,
    })
    expect(await setFacilityStatus(db, { ...input, close: true })).toEqual({ kind: 'unchanged' })
    const ranked = await listScopedFacilities(db, { kind: 'all' })
    expect(ranked.map((f) => f.code)).not.toContain('VD-008')
    // A file without it does not list it as missing; a file with it does not reopen it.
    const p = await preview(
      csv(HEADER, 'VD-001,Bệnh viện Đa khoa tỉnh Hà Giang,08,provincial,public,520,2,in_progress'),
    )
    expect(p.missing.map((m) => m.code)).not.toContain('VD-008')
    expect(p.missing.map((m) => m.code)).toContain('VD-007')
    const { csv: exported } = await registryCsv(db)
    expect((await preview(utf8(exported))).counts.changed).toBe(0)
    expect((await facilityByCode('VD-008'))?.closed_at).toBe(input.now)
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'facility_id', 'detail_json'])
      .where('action', '=', 'facility.close')
      .execute()
    expect(audit).toEqual([
      {
        action: 'facility.close',
        facility_id: facility?.id,
        detail_json: JSON.stringify({ reason: input.reason }),
      },
    ])
    expect(await setFacilityStatus(db, { ...input, close: false, reason: 'Nhầm' })).toEqual({
      kind: 'done',
      closed: false,
    })
    expect((await listScopedFacilities(db, { kind: 'all' })).map((f) => f.code)).toContain('VD-008')
  })
})

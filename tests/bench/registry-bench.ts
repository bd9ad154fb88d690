/**
 * Registry import bench on a real SQLite file: a national list of 13,000
 * facilities (CSV, Vietnamese headers, semicolons, CRLF, a third of the rows
 * naming a pre-2025 province) imported into an empty registry, preview and
 * apply (target under 5 s together); then the same list with 10 % of the rows
 * changed (preview and apply), the unchanged re-import, and the same list as
 * XLSX (preview). Wall time is the target; CPU time is printed beside it
 * because the machine is shared.
 * Run: npx tsx tests/bench/registry-bench.ts
 */
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import {
  applyRegistryImport,
  previewRegistryImport,
} from '../../app/admin/registry/import.server.ts'
import { loadOldProvinces } from '../../app/admin/registry/provinces.server.ts'
import { openDatabase } from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedProvinces } from '../../db/seed.ts'
import { BenchTable } from './bench-table.ts'

const COUNT = 13_000
const path = join(tmpdir(), `sansang-registry-bench-${process.pid}.sqlite`)
const table = new BenchTable()
const measure = table.measure.bind(table)

const HEADER = [
  'mã cơ sở',
  'tên cơ sở',
  'tỉnh/thành phố',
  'tuyến',
  'loại hình',
  'số giường',
  'nhóm tự chủ',
  'trạng thái EMR',
  'địa chỉ',
  'điện thoại',
]
const TIERS = ['trung ương', 'tỉnh', 'cơ bản']
const EMR = ['chưa triển khai', 'đang triển khai', 'đã vận hành']

/** The national list; `changed` rows (every tenth) carry a different bed count. */
function nationalList(provinces: { code: string; name: string }[], changed: boolean): string[][] {
  const old = loadOldProvinces()
  const out: string[][] = []
  for (let i = 0; i < COUNT; i++) {
    const p = provinces[i % provinces.length]
    const o = old[i % old.length]
    if (!p || !o) throw new Error('no provinces')
    // A third by an old province's name, a third by a new name, a third by code.
    const province = i % 3 === 0 ? o.name : i % 3 === 1 ? p.name : p.code
    const isPrivate = i % 7 === 0
    const beds = 50 + ((i * 37) % 1500) + (changed && i % 10 === 0 ? 5 : 0)
    out.push([
      `BV${String(i).padStart(5, '0')}`,
      `Bệnh viện Đa khoa số ${i} ${p.name}`,
      province,
      TIERS[i % 3] ?? 'cơ bản',
      isPrivate ? 'ngoài công lập' : 'công lập',
      String(beds),
      isPrivate ? '' : String((i % 4) + 1),
      EMR[i % 3] ?? '',
      `Số ${i}, đường Trần Hưng Đạo, ${p.name}`,
      `0${200 + (i % 90)} 3${String(i).padStart(6, '0')}`,
    ])
  }
  return out
}

const toCsv = (table: string[][]) =>
  new TextEncoder().encode(
    `\uFEFF${[HEADER, ...table].map((r) => r.map((c) => (/[;"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';')).join('\r\n')}\r\n`,
  )

async function toXlsx(table: string[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Danh mục')
  for (const r of [HEADER, ...table]) sheet.addRow(r)
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

async function main() {
  rmSync(path, { force: true })
  const { db } = openDatabase(path)
  try {
    await migrateToLatest(db)
    await seedProvinces(db)
    const provinces = await db
      .selectFrom('provinces')
      .select(['code', 'name'])
      .orderBy('code')
      .execute()
    const first = toCsv(nationalList(provinces, false))
    const second = toCsv(nationalList(provinces, true))
    const input = (bytes: Uint8Array) => ({
      bytes,
      fileName: 'bench.csv',
      planHash: null,
      userId: null,
      ip: null,
      requestId: null,
      now: new Date().toISOString(),
    })
    const preview = await measure(
      `preview, 13,000 new (CSV, ${(first.byteLength / 1024 / 1024).toFixed(1)} MB)`,
      null,
      () => previewRegistryImport(db, first),
    )
    if (preview.value.kind !== 'preview' || preview.value.preview.errors.length > 0) {
      throw new Error(`the bench file was refused: ${JSON.stringify(preview.value).slice(0, 500)}`)
    }
    // Apply previews again inside its transaction (the registry may have moved), then writes.
    const apply = await measure(
      'apply, 13,000 new (re-preview + insert + history + audit)',
      null,
      () => applyRegistryImport(db, input(first)),
    )
    table.add('preview + apply, 13,000 new', preview.ms + apply.ms, 5000)
    await measure('preview, 1,300 of 13,000 changed', null, () => previewRegistryImport(db, second))
    const changed = await measure('apply, 1,300 of 13,000 changed', 5000, () =>
      applyRegistryImport(db, input(second)),
    )
    if (changed.value.kind !== 'applied' || changed.value.counts.changed !== 1300) {
      throw new Error(`expected 1,300 changes: ${JSON.stringify(changed.value).slice(0, 300)}`)
    }
    const again = await measure('apply, same file again (nothing to change)', 5000, () =>
      applyRegistryImport(db, input(second)),
    )
    if (again.value.kind !== 'applied' || again.value.counts.unchanged !== COUNT) {
      throw new Error('the second import changed something')
    }
    const xlsx = await toXlsx(nationalList(provinces, true))
    await measure(
      `preview, 13,000 unchanged (XLSX, ${(xlsx.byteLength / 1024 / 1024).toFixed(1)} MB)`,
      5000,
      () => previewRegistryImport(db, xlsx),
    )
  } finally {
    await db.destroy()
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
  }
  table.finish()
}

await main()

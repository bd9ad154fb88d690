/**
 * Diacritic- and tone-insensitive facility search: the folding of real
 * Vietnamese names, and the escaped LIKE pattern run on a real SQLite.
 */
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { foldSearchKey } from '../../../db/text.ts'
import { likePattern } from '../../../app/models/facility-list.server.ts'

describe('foldSearchKey on real names', () => {
  it.each([
    // Both tone-mark placements ("old" hóa / "new" hoá) fold to the same key.
    ['Bệnh viện Đa khoa tỉnh Thanh Hóa', 'Bệnh viện Đa khoa tỉnh Thanh Hoá'],
    ['Bệnh viện Đa khoa tỉnh Khánh Hòa', 'Bệnh viện Đa khoa tỉnh Khánh Hoà'],
    ['Trung tâm Y tế huyện Thủy Nguyên', 'Trung tâm Y tế huyện Thuỷ Nguyên'],
  ])('%s and %s fold alike', (a, b) => {
    expect(a).not.toBe(b)
    expect(foldSearchKey(a)).toBe(foldSearchKey(b))
  })

  it('ignores the normalisation form (NFC, NFD)', () => {
    const name = 'Bệnh viện Bạch Mai'
    expect(name.normalize('NFD')).not.toBe(name)
    expect(foldSearchKey(name.normalize('NFD'))).toBe('benh vien bach mai')
    expect(foldSearchKey(name.normalize('NFC'))).toBe('benh vien bach mai')
  })

  it('folds đ and Đ, which carry no combining mark', () => {
    expect(foldSearchKey('Bệnh viện Đa khoa tỉnh Đắk Lắk')).toBe('benh vien da khoa tinh dak lak')
    expect(foldSearchKey('Bệnh viện Hữu nghị Việt Đức')).toBe('benh vien huu nghi viet duc')
    expect(foldSearchKey('ĐẮK LẮK'.normalize('NFD'))).toBe('dak lak')
  })

  it('collapses spaces and case so a typed query matches', () => {
    expect(foldSearchKey('  BACH   mai ')).toBe('bach mai')
  })
})

describe('likePattern on SQLite', () => {
  const sqlite = new Database(':memory:')
  sqlite.exec('CREATE TABLE f (search_key TEXT NOT NULL)')
  const insert = sqlite.prepare('INSERT INTO f VALUES (?)')
  for (const name of [
    'Bệnh viện Đa khoa tỉnh Thanh Hoá',
    'Bệnh viện Mắt tỉnh Thanh Hóa',
    'Phòng khám 50% công suất',
    'Phòng khám 50 giường',
    'Trạm y tế a_b',
    'Trạm y tế axb',
    'Kho C:\\dữ liệu',
  ])
    insert.run(foldSearchKey(name))
  const search = (query: string) =>
    (
      sqlite
        .prepare("SELECT search_key FROM f WHERE search_key LIKE ? ESCAPE '\\' ORDER BY 1")
        .all(likePattern(foldSearchKey(query))) as Array<{ search_key: string }>
    ).map((r) => r.search_key)
  afterAll(() => sqlite.close())

  it('finds both spellings of Thanh Hoá from an unaccented query', () => {
    expect(search('thanh hoa')).toEqual([
      'benh vien da khoa tinh thanh hoa',
      'benh vien mat tinh thanh hoa',
    ])
  })

  it('treats % and _ in the query as the characters themselves', () => {
    expect(search('50%')).toEqual(['phong kham 50% cong suat'])
    expect(search('a_b')).toEqual(['tram y te a_b'])
    expect(search('%')).toEqual(['phong kham 50% cong suat'])
  })

  it('treats the escape character itself literally', () => {
    expect(search('c:\\')).toEqual(['kho c:\\du lieu'])
  })
})

/**
 * Which of the 34 provinces a registry cell means. A cell may hold a province
 * code, the name of one of the 34 provinces, or the name (or code) of one of
 * the 63 provinces in force before 1 July 2025, which maps to the province it
 * merged into. Names match after folding (db/text.ts: NFC/NFD, tone-mark
 * placement, diacritics, đ) with or without "Tỉnh"/"Thành phố"/"TP.", and
 * ignoring spaces and hyphens ("Bà Rịa-Vũng Tàu"). An old province that went
 * to several new ones cannot be placed by its name alone: it is refused with
 * the candidates.
 *
 * Pure: the caller hands in the 34 provinces (from the database) and the old
 * provinces (from db/data/admin-units/old-to-new-split.json).
 */
import { foldSearchKey } from '../../../db/text.ts'

export interface NewProvince {
  code: string
  name: string
  fullName: string
  nameEn: string
}

export interface OldProvince {
  code: string
  /** As in the mapping file, e.g. "Tỉnh Hà Giang". */
  name: string
  /** The new province code(s) it went to. */
  newCodes: string[]
}

export type ProvinceMatch =
  | { ok: true; code: string; from: null }
  /** Read from a pre-2025 province: the old name or code, for the preview's notes. */
  | { ok: true; code: string; from: { code: string; name: string } }
  | { ok: false; error: 'provinceUnknown' }
  | { ok: false; error: 'provinceSplit'; from: string; candidates: string[] }

/** The comparison key of a province name: folded, without its unit word, letters and digits only. */
export function provinceKey(text: string): string {
  return foldSearchKey(text)
    .replace(/^(tinh|thanh pho|tp\.?)\s*/, '')
    .replace(/[^a-z0-9]/g, '')
}

export interface ProvinceResolver {
  resolve(cell: string): ProvinceMatch
  /** The current name of a new province, for messages. */
  nameOf(code: string): string
}

export function buildProvinceResolver(
  current: readonly NewProvince[],
  old: readonly OldProvince[],
): ProvinceResolver {
  const byCode = new Map(current.map((p) => [p.code, p]))
  const currentByKey = new Map<string, Set<string>>()
  const add = (map: Map<string, Set<string>>, key: string, code: string) => {
    if (!key) return
    const set = map.get(key) ?? new Set<string>()
    set.add(code)
    map.set(key, set)
  }
  for (const p of current) {
    for (const name of [p.name, p.fullName, p.nameEn]) add(currentByKey, provinceKey(name), p.code)
  }
  const oldByKey = new Map<string, OldProvince[]>()
  const oldByCode = new Map(old.map((p) => [p.code, p]))
  for (const p of old) {
    const key = provinceKey(p.name)
    oldByKey.set(key, [...(oldByKey.get(key) ?? []), p])
  }
  const nameOf = (code: string) => byCode.get(code)?.name ?? code

  const fromOld = (matches: OldProvince[]): ProvinceMatch => {
    const codes = [...new Set(matches.flatMap((m) => m.newCodes))].sort()
    const first = matches[0]
    if (!first) return { ok: false, error: 'provinceUnknown' }
    if (codes.length === 1 && codes[0] && byCode.has(codes[0])) {
      return { ok: true, code: codes[0], from: { code: first.code, name: first.name } }
    }
    if (codes.length === 0) return { ok: false, error: 'provinceUnknown' }
    return { ok: false, error: 'provinceSplit', from: first.name, candidates: codes }
  }

  // A national file names the same hundred provinces 13,000 times: fold each spelling once.
  const seen = new Map<string, ProvinceMatch>()
  const resolve = (cell: string): ProvinceMatch => {
    let match = seen.get(cell)
    if (!match) {
      match = resolveUncached(cell)
      seen.set(cell, match)
    }
    return match
  }

  return { nameOf, resolve }

  function resolveUncached(cell: string): ProvinceMatch {
    const text = cell.trim()
    if (/^\d{1,2}$/.test(text)) {
      // Spreadsheets drop leading zeros: "1" is Hà Nội's "01".
      const code = text.padStart(2, '0')
      if (byCode.has(code)) return { ok: true, code, from: null }
      const was = oldByCode.get(code)
      return was ? fromOld([was]) : { ok: false, error: 'provinceUnknown' }
    }
    const key = provinceKey(text)
    const currentCodes = [...(currentByKey.get(key) ?? [])]
    if (currentCodes.length === 1 && currentCodes[0]) {
      return { ok: true, code: currentCodes[0], from: null }
    }
    if (currentCodes.length > 1) {
      return { ok: false, error: 'provinceSplit', from: text, candidates: currentCodes.sort() }
    }
    return fromOld(oldByKey.get(key) ?? [])
  }
}

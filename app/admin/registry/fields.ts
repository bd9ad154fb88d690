/**
 * The registry file's columns: one entry per column, with the header names it
 * is known by (English and Vietnamese; matched case-, space- and
 * diacritic-insensitively), whether it is required, how a cell is read and how
 * the value is written back on export. Adding a column to the registry is one
 * entry here (and its database column).
 *
 * A required column must be in the file and filled on every row. An optional
 * column left out of the file leaves that field of existing facilities alone
 * (new ones get the default); present but blank, it sets the default.
 */
import { foldSearchKey } from '../../../db/text.ts'
import type { EmrStatus, Ownership, Tier } from '../../../db/schema.ts'
import type { ProvinceMatch, ProvinceResolver } from './provinces.ts'
import { unescapeFormula } from '../../utils/csv.ts'

/** A facility as the registry file describes it (the columns an import writes). */
export interface RegistryRecord {
  code: string
  name: string
  province_code: string
  tier: Tier
  ownership: Ownership
  beds: number
  autonomy_group: number | null
  emr_status: EmrStatus
  address: string | null
  phone: string | null
}

export type RegistryKey = keyof RegistryRecord

/** Why a cell was refused: a key of `registry:errors`, with its values. */
export interface CellError {
  error: string
  params?: Record<string, string>
}

export type Parsed<T> =
  { ok: true; value: T; province?: ProvinceMatch } | ({ ok: false } & CellError)

export interface ParseContext {
  provinces: ProvinceResolver
}

export interface FieldSpec<K extends RegistryKey> {
  key: K
  /** The header the export writes (English); also accepted on import. */
  header: string
  /** Other header names people write (Vietnamese first); compared through `headerKey`. */
  aliases: readonly string[]
  required: boolean
  /** Reads a non-blank cell (already NFC, trimmed, inner whitespace collapsed). */
  parse: (cell: string, context: ParseContext) => Parsed<RegistryRecord[K]>
  /** The value of a blank cell in an optional column. */
  blank?: RegistryRecord[K]
  /** The cell written on export. */
  format: (record: RegistryRecord) => string | number | null
}

/** Header comparison: folded, letters and digits only ("Trạng thái EMR" = "trang_thai_emr"). */
export function headerKey(text: string): string {
  return foldSearchKey(text).replace(/[^a-z0-9]/g, '')
}

/** Cell text: NFC, whitespace runs (tabs, line breaks, no-break spaces) as one space, trimmed. */
export function cleanText(cell: string): string {
  return cell.normalize('NFC').replace(/\s+/g, ' ').trim()
}

const MAX_TEXT = { name: 200, address: 500, phone: 40 } as const

function text(max: number) {
  return (cell: string): Parsed<string> => {
    const value = unescapeFormula(cell)
    // Whitespace is already collapsed; anything else below U+0020 is not text a registry holds.
    if (/\p{Cc}/u.test(value)) return { ok: false, error: 'controlCharacters' }
    if ([...value].length > max)
      return { ok: false, error: 'tooLong', params: { max: String(max) } }
    return { ok: true, value }
  }
}

/** An enumeration read from any of its spellings, compared through `headerKey`. */
function choice<T extends string>(error: string, spellings: Record<T, readonly string[]>) {
  const byKey = new Map<string, T>()
  for (const [value, names] of Object.entries(spellings) as [T, readonly string[]][]) {
    for (const name of [value, ...names]) byKey.set(headerKey(name), value)
  }
  const seen = new Map<string, T | undefined>()
  return (cell: string): Parsed<T> => {
    // Few distinct spellings, each folded once.
    let value = seen.get(cell)
    if (!seen.has(cell)) {
      value = byKey.get(headerKey(cell))
      seen.set(cell, value)
    }
    return value === undefined ? { ok: false, error } : { ok: true, value }
  }
}

const MAX_BEDS = 50_000

function beds(cell: string): Parsed<number> {
  // Whole numbers only; "1.200", "1,200" and "1 200" are thousands (a bed count has no decimals).
  const digits = /^\d{1,3}([., ]\d{3})+$/.test(cell) ? cell.replace(/[., ]/g, '') : cell
  if (!/^\d+$/.test(digits)) return { ok: false, error: 'badBeds' }
  const value = Number(digits)
  if (value > MAX_BEDS)
    return { ok: false, error: 'bedsTooLarge', params: { max: String(MAX_BEDS) } }
  return { ok: true, value }
}

function autonomyGroup(cell: string): Parsed<number | null> {
  const match = /^(?:nhom)?([1-4])$/.exec(headerKey(cell))
  return match ? { ok: true, value: Number(match[1]) } : { ok: false, error: 'badAutonomy' }
}

function code(cell: string): Parsed<string> {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/.test(cell)
    ? { ok: true, value: cell }
    : { ok: false, error: 'badCode' }
}

function province(cell: string, context: ParseContext): Parsed<string> {
  const match = context.provinces.resolve(cell)
  if (match.ok) return { ok: true, value: match.code, province: match }
  if (match.error === 'provinceSplit') {
    return {
      ok: false,
      error: 'provinceSplit',
      params: {
        from: match.from,
        candidates: match.candidates.map((c) => `${context.provinces.nameOf(c)} (${c})`).join(', '),
      },
    }
  }
  return { ok: false, error: 'provinceUnknown' }
}

function phone(cell: string): Parsed<string> {
  const checked = text(MAX_TEXT.phone)(cell)
  if (!checked.ok) return checked
  return /^\+?[0-9 ().\-/]+$/.test(checked.value) && /\d/.test(checked.value)
    ? checked
    : { ok: false, error: 'badPhone' }
}

function field<K extends RegistryKey>(spec: FieldSpec<K>): FieldSpec<K> {
  return spec
}

/** The columns, in the order the export writes them. */
export const FIELDS = [
  field({
    key: 'code',
    header: 'code',
    aliases: ['mã cơ sở', 'mã'],
    required: true,
    parse: code,
    format: (r) => r.code,
  }),
  field({
    key: 'name',
    header: 'name',
    aliases: ['tên cơ sở', 'tên'],
    required: true,
    parse: text(MAX_TEXT.name),
    format: (r) => r.name,
  }),
  field({
    key: 'province_code',
    header: 'province',
    aliases: ['tỉnh', 'tỉnh/thành phố', 'tỉnh thành'],
    required: true,
    parse: province,
    format: (r) => r.province_code,
  }),
  field({
    key: 'tier',
    header: 'tier',
    aliases: ['tuyến'],
    required: true,
    parse: choice<Tier>('badTier', {
      central: ['trung ương', 'tuyến trung ương'],
      provincial: ['tỉnh', 'tuyến tỉnh'],
      basic: ['cơ bản', 'tuyến cơ bản', 'cơ bản / khu vực'],
    }),
    format: (r) => r.tier,
  }),
  field({
    key: 'ownership',
    header: 'ownership',
    aliases: ['loại hình'],
    required: true,
    parse: choice<Ownership>('badOwnership', {
      public: ['công lập'],
      private: ['ngoài công lập', 'tư nhân'],
    }),
    format: (r) => r.ownership,
  }),
  field({
    key: 'beds',
    header: 'beds',
    aliases: ['số giường', 'số giường bệnh'],
    required: true,
    parse: beds,
    format: (r) => r.beds,
  }),
  field({
    key: 'autonomy_group',
    header: 'autonomy_group',
    aliases: ['nhóm tự chủ', 'nhóm tự chủ tài chính'],
    required: false,
    parse: autonomyGroup,
    blank: null,
    format: (r) => r.autonomy_group,
  }),
  field({
    key: 'emr_status',
    header: 'emr_status',
    aliases: ['trạng thái EMR', 'bệnh án điện tử'],
    required: false,
    parse: choice<EmrStatus>('badEmr', {
      none: ['chưa triển khai', 'chưa có'],
      in_progress: ['in progress', 'đang triển khai'],
      live: ['đã vận hành', 'đã triển khai'],
    }),
    blank: 'none',
    format: (r) => r.emr_status,
  }),
  field({
    key: 'address',
    header: 'address',
    aliases: ['địa chỉ'],
    required: false,
    parse: text(MAX_TEXT.address),
    blank: null,
    format: (r) => r.address,
  }),
  field({
    key: 'phone',
    header: 'phone',
    aliases: ['điện thoại', 'số điện thoại'],
    required: false,
    parse: phone,
    blank: null,
    format: (r) => r.phone,
  }),
] as const

export type AnyField = (typeof FIELDS)[number]

/** The header name the export writes for each column (the English one). */
export const EXPORT_HEADERS: readonly string[] = FIELDS.map((f) => f.header)

const FIELD_BY_HEADER = new Map<string, AnyField>(
  FIELDS.flatMap((f) => [f.header, ...f.aliases].map((h) => [headerKey(h), f] as const)),
)

/** The column a header cell names, if any. */
export function fieldForHeader(header: string): AnyField | undefined {
  return FIELD_BY_HEADER.get(headerKey(header))
}

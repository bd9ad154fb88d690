/**
 * Deterministic demo facilities: about 300, spread over the 34 provinces, the
 * three tiers and both ownerships. Names follow real Vietnamese naming
 * patterns; ward names come from the official admin-unit data. The seed marks
 * every page that shows them as demo data.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import type { ReferralRole } from '../scoring/priority.ts'
import type { EmrStatus, FacilityClass, Ownership, Tier } from './schema.ts'

export interface AdminProvince {
  code: string
  name: string
  nameEn: string
  fullName: string
  fullNameEn: string
  isCity: boolean
  wards: string[]
}

export interface DemoFacility {
  code: string
  name: string
  provinceCode: string
  tier: Tier
  ownership: Ownership
  beds: number
  autonomyGroup: number | null
  emrStatus: EmrStatus
  /** What the registry says (0008); null where a real registry would not know yet. */
  referralRole: ReferralRole | null
  hasImaging: boolean | null
  facilityClass: FacilityClass
}

/**
 * Central (Ministry-run) hospitals, by province code, with their referral
 * role: the national end-of-line general and specialised hospitals, and the
 * regional hubs that serve several provinces.
 */
const CENTRAL: Array<[string, string, ReferralRole]> = [
  ['01', 'Bệnh viện Bạch Mai', 'national'],
  ['01', 'Bệnh viện Hữu nghị Việt Đức', 'national'],
  ['01', 'Bệnh viện K', 'national'],
  ['01', 'Bệnh viện Nhi Trung ương', 'national'],
  ['01', 'Bệnh viện Phụ sản Trung ương', 'national'],
  ['01', 'Bệnh viện E', 'regional'],
  ['01', 'Bệnh viện Lão khoa Trung ương', 'national'],
  ['01', 'Bệnh viện Bệnh Nhiệt đới Trung ương', 'national'],
  ['01', 'Bệnh viện Mắt Trung ương', 'national'],
  ['01', 'Bệnh viện Phổi Trung ương', 'national'],
  ['01', 'Bệnh viện Nội tiết Trung ương', 'national'],
  ['01', 'Bệnh viện Da liễu Trung ương', 'national'],
  ['79', 'Bệnh viện Chợ Rẫy', 'national'],
  ['79', 'Bệnh viện Thống Nhất', 'regional'],
  ['46', 'Bệnh viện Trung ương Huế', 'national'],
  ['19', 'Bệnh viện Trung ương Thái Nguyên', 'regional'],
  ['92', 'Bệnh viện Đa khoa Trung ương Cần Thơ', 'regional'],
  ['48', 'Bệnh viện Đà Nẵng', 'regional'],
  ['48', 'Bệnh viện Đa khoa Trung ương Quảng Nam', 'regional'],
]

const PROVINCIAL_KINDS = [
  'Bệnh viện Đa khoa',
  'Bệnh viện Sản – Nhi',
  'Bệnh viện Y dược cổ truyền',
  'Bệnh viện Phổi',
  'Bệnh viện Tâm thần',
  'Bệnh viện Mắt',
]

const PRIVATE_BRANDS = [
  'An Phúc',
  'Hưng Thịnh',
  'Minh An',
  'Thiện Tâm',
  'Phúc Khang',
  'Hòa Bình',
  'Tâm Đức',
  'Hồng Phúc',
  'Quốc tế Thành An',
  'Nhân Ái',
  'Đức Khang',
  'Bình An',
]

function pick<T>(rng: RandomGenerator, list: readonly T[]): T {
  const value = list[uniformInt(rng, 0, list.length - 1)]
  if (value === undefined) throw new Error('pick from an empty list')
  return value
}

/** "tỉnh Cao Bằng" or "thành phố Cần Thơ": how names refer to the province. */
function provincePhrase(p: AdminProvince): string {
  return `${p.isCity ? 'thành phố' : 'tỉnh'} ${p.name}`
}

function emrStatusFor(rng: RandomGenerator, tier: Tier): EmrStatus {
  // About half of hospitals ran EMR at the 2025 deadline, central ones most.
  const roll = uniformInt(rng, 0, 99)
  const live = tier === 'central' ? 70 : tier === 'provincial' ? 35 : 10
  if (roll < live) return 'live'
  if (roll < live + 20) return 'in_progress'
  return 'none'
}

/** Builds the demo facility list; same provinces and seed → same list. */
export function buildDemoFacilities(provinces: AdminProvince[], seed = 2026): DemoFacility[] {
  const rng = xoroshiro128plus(seed)
  const result: DemoFacility[] = []
  const sequence = new Map<string, number>()
  const nextCode = (provinceCode: string) => {
    const n = (sequence.get(provinceCode) ?? 0) + 1
    sequence.set(provinceCode, n)
    return `${provinceCode}${String(n).padStart(3, '0')}`
  }
  const add = (f: Omit<DemoFacility, 'code' | 'emrStatus' | 'facilityClass'>) => {
    result.push({
      ...f,
      code: nextCode(f.provinceCode),
      emrStatus: emrStatusFor(rng, f.tier),
      // Circular 13/2025's classes: every "Bệnh viện" here is a licensed hospital; the
      // regional health centres ("Trung tâm Y tế") are other facilities with inpatient care.
      facilityClass: f.name.startsWith('Bệnh viện') ? 'hospital' : 'other',
    })
  }

  for (const [provinceCode, name, referralRole] of CENTRAL) {
    add({
      name,
      provinceCode,
      tier: 'central',
      ownership: 'public',
      beds: uniformInt(rng, 50, 250) * 10,
      autonomyGroup: uniformInt(rng, 1, 2),
      referralRole,
      hasImaging: true,
    })
  }

  for (const province of provinces) {
    const kinds = [...PROVINCIAL_KINDS]
    const provincialCount = 3
    for (let k = 0; k < provincialCount; k++) {
      const kind =
        k === 0 ? 'Bệnh viện Đa khoa' : kinds.splice(uniformInt(rng, 1, kinds.length - 1), 1)[0]
      add({
        name: `${kind ?? 'Bệnh viện Đa khoa'} ${provincePhrase(province)}`,
        provinceCode: province.code,
        tier: 'provincial',
        ownership: 'public',
        beds: uniformInt(rng, 15, 90) * 10,
        autonomyGroup: uniformInt(rng, 2, 3),
        referralRole: 'provincial',
        hasImaging: true,
      })
    }
    const wards = [...province.wards]
    for (let k = 0; k < 4 && wards.length > 0; k++) {
      const ward = wards.splice(uniformInt(rng, 0, wards.length - 1), 1)[0] ?? province.name
      add({
        name: `Trung tâm Y tế khu vực ${ward}`,
        provinceCode: province.code,
        tier: 'basic',
        ownership: 'public',
        beds: uniformInt(rng, 5, 25) * 10,
        autonomyGroup: uniformInt(rng, 3, 4),
        referralRole: 'district',
        // Not every regional health centre has imaging; the demo registry does not say.
        hasImaging: null,
      })
    }
    const privateCount = uniformInt(rng, 0, 99) < 40 ? 2 : 1
    for (let k = 0; k < privateCount; k++) {
      const brand = pick(rng, PRIVATE_BRANDS)
      const ward = pick(rng, province.wards.length > 0 ? province.wards : [province.name])
      add({
        name: `Bệnh viện Đa khoa ${brand} ${ward}`,
        provinceCode: province.code,
        tier: uniformInt(rng, 0, 99) < 25 ? 'provincial' : 'basic',
        ownership: 'private',
        beds: uniformInt(rng, 5, 40) * 10,
        autonomyGroup: null,
        // Private hospitals take no public referrals; their imaging is not in the demo registry.
        referralRole: 'none',
        hasImaging: null,
      })
    }
  }
  return result
}

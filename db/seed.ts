/**
 * Seeding. Reference data (the 34 provinces) and shipped content are loaded
 * on every start and are idempotent; demo data (facilities, accounts, a round
 * with assessments) is loaded only into a database that has no facilities.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import * as z from 'zod'
import { buildDemoFacilities, type AdminProvince } from './demo-facilities.ts'
import { getDeploymentMode, recordDeploymentMode } from './deployment.ts'
import type { Database, Role } from './schema.ts'
import { foldSearchKey } from './text.ts'

// From the project root, so the path holds both here and in the compiled
// build/db-cli.js (`npm run build`), which sits one level down as this file does.
const ADMIN_UNITS = fileURLToPath(new URL('../db/data/admin-units/', import.meta.url))

const AdminUnitFileSchema = z.array(
  z.object({
    Code: z.string().regex(/^\d{2}$/),
    Name: z.string().min(1),
    NameEn: z.string().min(1),
    FullName: z.string().min(1),
    FullNameEn: z.string().min(1),
    AdministrativeUnitShortName: z.string(),
    Wards: z.array(z.object({ Name: z.string().min(1) })),
  }),
)

/** The 34 provinces from the official data, NFC-normalised, in code order. */
export function loadAdminProvinces(): AdminProvince[] {
  const raw: unknown = JSON.parse(
    readFileSync(`${ADMIN_UNITS}provinces-34-with-wards.json`, 'utf8'),
  )
  const provinces = AdminUnitFileSchema.parse(raw).map((p) => ({
    code: p.Code,
    name: p.Name.normalize('NFC'),
    nameEn: p.NameEn,
    fullName: p.FullName.normalize('NFC'),
    fullNameEn: p.FullNameEn,
    isCity: p.AdministrativeUnitShortName === 'Thành phố',
    wards: p.Wards.map((w) => w.Name.normalize('NFC')),
  }))
  return provinces.sort((a, b) => a.code.localeCompare(b.code))
}

/** Official codes from letter 915/CTK-CSCL, used to check the JSON. */
export function loadOfficialProvinceCodes(): string[] {
  const lines = readFileSync(`${ADMIN_UNITS}province-codes-34.csv`, 'utf8').trim().split(/\r?\n/)
  return lines.slice(1).map((line) => {
    const code = line.split(',')[1]
    if (!code) throw new Error(`province-codes-34.csv: bad line "${line}"`)
    return code
  })
}

export async function seedProvinces(db: Kysely<Database>): Promise<number> {
  const provinces = loadAdminProvinces()
  const official = loadOfficialProvinceCodes()
  const codes = provinces.map((p) => p.code)
  if (codes.join() !== [...official].sort().join()) {
    throw new Error('provinces-34-with-wards.json and province-codes-34.csv disagree on codes')
  }
  for (const p of provinces) {
    const row = {
      code: p.code,
      name: p.name,
      name_en: p.nameEn,
      full_name: p.fullName,
      full_name_en: p.fullNameEn,
      search_key: foldSearchKey(`${p.fullName} ${p.nameEn}`),
    }
    await db
      .insertInto('provinces')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet(row))
      .execute()
  }
  return provinces.length
}

export const DEMO_PASSWORD = 'sansang-demo-2026'

/**
 * Published TOTP secrets of the demo accounts whose roles need a second
 * factor by default (MFA_REQUIRED_ROLES), so the demo and the tests sign
 * them in the way production signs administrators in. README prints them;
 * `npm run demo:code` shows the current codes. Base32, 160 bits.
 */
export const DEMO_TOTP_SECRETS: Readonly<Record<string, string>> = {
  boyte: 'SANSANGDEMOBOYTEAAAAAAAAAAAAAAAA',
  quantri: 'SANSANGDEMOQUANTRIAAAAAAAAAAAAAA',
}

export interface DemoAccount {
  login: string
  displayName: string
  role: Role
  /** Facility by demo code, or province by code, depending on the role. */
  facilityCode?: string
  provinceCode?: string
  disabled?: boolean
}

/** Demo accounts for every role; README lists them. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    login: 'giamdoc.thanhhoa',
    displayName: 'BS. Lê Văn Hùng',
    role: 'director',
    facilityCode: '38001',
  },
  {
    login: 'nhanvien.thanhhoa',
    displayName: 'KS. Trần Thị Mai',
    role: 'staff',
    facilityCode: '38001',
  },
  {
    login: 'giamdoc.nghean',
    displayName: 'BS. Phan Đình Toàn',
    role: 'director',
    facilityCode: '40001',
  },
  { login: 'nhanvien.nghean', displayName: 'CN. Hồ Thị Lan', role: 'staff', facilityCode: '40001' },
  {
    login: 'giamdoc.caobang',
    displayName: 'BS. Nông Văn Dũng',
    role: 'director',
    facilityCode: '04004',
  },
  {
    login: 'giamdoc.bachmai',
    displayName: 'PGS. Nguyễn Quốc Anh',
    role: 'director',
    facilityCode: '01001',
  },
  {
    login: 'soyte.thanhhoa',
    displayName: 'Sở Y tế Thanh Hóa',
    role: 'province_reviewer',
    provinceCode: '38',
  },
  {
    login: 'soyte.caobang',
    displayName: 'Sở Y tế Cao Bằng',
    role: 'province_reviewer',
    provinceCode: '04',
  },
  { login: 'boyte', displayName: 'Cục Khoa học công nghệ và Đào tạo', role: 'ministry_reviewer' },
  { login: 'quantri', displayName: 'Quản trị hệ thống', role: 'admin' },
  {
    login: 'taikhoan.khoa',
    displayName: 'Tài khoản đã khóa',
    role: 'director',
    facilityCode: '38002',
    disabled: true,
  },
]

export interface SeedDemoOptions {
  hashPassword: (password: string) => Promise<string>
  now: string
}

/** Is the database empty of accounts and facilities (nothing anyone entered)? */
export async function isEmptyDatabase(db: Kysely<Database>): Promise<boolean> {
  const [user, facility] = await Promise.all([
    db.selectFrom('users').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('facilities').select('id').limit(1).executeTakeFirst(),
  ])
  return !user && !facility
}

/**
 * Loads demo facilities and accounts into an empty database that is not a
 * production one. Returns false (and loads nothing) otherwise.
 */
export async function seedDemo(db: Kysely<Database>, options: SeedDemoOptions): Promise<boolean> {
  if (!(await isEmptyDatabase(db))) return false
  if ((await getDeploymentMode(db)) === 'production') return false
  const facilities = buildDemoFacilities(loadAdminProvinces())
  const passwordHash = await options.hashPassword(DEMO_PASSWORD)
  await db.transaction().execute(async (trx) => {
    await recordDeploymentMode(trx, 'demo', options.now)
    for (const f of facilities) {
      await trx
        .insertInto('facilities')
        .values({
          code: f.code,
          name: f.name,
          province_code: f.provinceCode,
          tier: f.tier,
          ownership: f.ownership,
          beds: f.beds,
          autonomy_group: f.autonomyGroup,
          emr_status: f.emrStatus,
          referral_role: f.referralRole,
          has_imaging: f.hasImaging === null ? null : f.hasImaging ? 1 : 0,
          facility_class: f.facilityClass,
          search_key: foldSearchKey(f.name),
          created_at: options.now,
        })
        .execute()
    }
    for (const account of DEMO_ACCOUNTS) {
      let facilityId: number | null = null
      if (account.facilityCode) {
        const row = await trx
          .selectFrom('facilities')
          .select('id')
          .where('code', '=', account.facilityCode)
          .executeTakeFirstOrThrow()
        facilityId = row.id
      }
      const totpSecret = DEMO_TOTP_SECRETS[account.login] ?? null
      await trx
        .insertInto('users')
        .values({
          login: account.login,
          display_name: account.displayName,
          role: account.role,
          facility_id: facilityId,
          province_code: account.provinceCode ?? null,
          password_hash: passwordHash,
          disabled: account.disabled ? 1 : 0,
          search_key: foldSearchKey(`${account.login} ${account.displayName}`),
          password_changed_at: options.now,
          totp_secret: totpSecret,
          totp_enrolled_at: totpSecret ? options.now : null,
          created_at: options.now,
          updated_at: options.now,
        })
        .execute()
    }
  })
  return true
}

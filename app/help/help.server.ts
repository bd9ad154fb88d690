/**
 * The help page's data: which guide the reader gets (by role) and whom to
 * contact — a facility's province reviewers (the ministry's if the province
 * has none), a province reviewer's ministry reviewers, everyone else the
 * administrators.
 */
import type { Kysely } from 'kysely'
import type { Database, Role } from '../../db/schema.ts'
import type { Locale } from '../i18n.ts'
import { listActiveUsersByRole } from '../models/contact.server.ts'
import { getFacilityDetails, getProvinceName } from '../models/facility.server.ts'
import type { SessionUser } from '../utils/auth.server.ts'

export type HelpGuide = 'facility' | 'reviewer' | 'admin'

export function helpGuideFor(role: Role): HelpGuide {
  switch (role) {
    case 'director':
    case 'staff':
      return 'facility'
    case 'province_reviewer':
    case 'ministry_reviewer':
      return 'reviewer'
    case 'admin':
      return 'admin'
  }
}

export interface HelpContacts {
  /** Who these people are: the province's health department, the ministry, the administrators. */
  kind: 'province' | 'ministry' | 'admin'
  province: string | null
  people: Array<{ name: string; login: string }>
}

async function provinceOf(db: Kysely<Database>, user: SessionUser) {
  if (user.provinceCode) return user.provinceCode
  if (user.facilityId === null) return null
  return (await getFacilityDetails(db, user.facilityId))?.province_code ?? null
}

export async function getHelpContacts(
  db: Kysely<Database>,
  user: SessionUser,
  locale: Locale,
): Promise<HelpContacts> {
  const people = (rows: Array<{ display_name: string; login: string }>) =>
    rows.map((r) => ({ name: r.display_name, login: r.login }))
  if (helpGuideFor(user.role) === 'facility') {
    const code = await provinceOf(db, user)
    if (code) {
      const [reviewers, province] = await Promise.all([
        listActiveUsersByRole(db, 'province_reviewer', code),
        getProvinceName(db, code),
      ])
      if (reviewers.length > 0)
        return {
          kind: 'province',
          province: province
            ? locale === 'en'
              ? province.full_name_en
              : province.full_name
            : null,
          people: people(reviewers),
        }
    }
  }
  if (user.role !== 'ministry_reviewer' && user.role !== 'admin') {
    const ministry = await listActiveUsersByRole(db, 'ministry_reviewer')
    if (ministry.length > 0) return { kind: 'ministry', province: null, people: people(ministry) }
  }
  return {
    kind: 'admin',
    province: null,
    people: people(await listActiveUsersByRole(db, 'admin')),
  }
}

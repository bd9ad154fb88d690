/**
 * The main navigation per role. Each feature owns its entry; the label is a
 * key of the `common` namespace (`nav.*`).
 */
import type { Role } from '../../db/schema.ts'

export interface NavLink {
  to: string
  labelKey: string
  roles: readonly Role[]
}

const FACILITY: readonly Role[] = ['director', 'staff']
const REVIEWERS: readonly Role[] = ['province_reviewer', 'ministry_reviewer']

export const NAV_LINKS: NavLink[] = [
  {
    to: '/',
    labelKey: 'nav.home',
    roles: ['director', 'staff', 'province_reviewer', 'ministry_reviewer', 'admin'],
  },
  { to: '/assessment', labelKey: 'nav.assessment', roles: FACILITY },
  { to: '/results', labelKey: 'nav.results', roles: FACILITY },
  { to: '/facilities', labelKey: 'nav.facilities', roles: [...REVIEWERS, 'admin'] },
  { to: '/review', labelKey: 'nav.review', roles: REVIEWERS },
  { to: '/rounds/overview', labelKey: 'nav.overview', roles: [...REVIEWERS, 'admin'] },
  { to: '/compare', labelKey: 'nav.compare', roles: [...REVIEWERS, 'admin'] },
  { to: '/waves', labelKey: 'nav.waves', roles: [...REVIEWERS, 'admin'] },
  {
    to: '/methodology',
    labelKey: 'nav.methodology',
    roles: ['director', 'staff', 'province_reviewer', 'ministry_reviewer', 'admin'],
  },
]

export function navLinksFor(role: Role): NavLink[] {
  return NAV_LINKS.filter((link) => link.roles.includes(role))
}

/**
 * The main navigation. Each feature owns its entry; the label is a key of the
 * `common` namespace (`nav.*`). A link shows for the roles the permission
 * table gives its permission, so navigation and guards never disagree.
 */
import type { Role } from '../../db/schema.ts'
import { roleCan, type Permission } from '../utils/permissions.ts'

export interface NavLink {
  to: string
  labelKey: string
  permission: Permission
}

export const NAV_LINKS: NavLink[] = [
  { to: '/', labelKey: 'nav.home', permission: 'account:self' },
  { to: '/assessment', labelKey: 'nav.assessment', permission: 'assessment:edit' },
  { to: '/results', labelKey: 'nav.results', permission: 'results:view' },
  { to: '/facilities', labelKey: 'nav.facilities', permission: 'facilities:view' },
  { to: '/review', labelKey: 'nav.review', permission: 'review:act' },
  { to: '/rounds/overview', labelKey: 'nav.overview', permission: 'overview:view' },
  { to: '/compare', labelKey: 'nav.compare', permission: 'compare:view' },
  { to: '/waves', labelKey: 'nav.waves', permission: 'waves:view' },
  { to: '/rollout', labelKey: 'nav.rollout', permission: 'rollout:view' },
  { to: '/rollout/facility', labelKey: 'nav.rolloutFacility', permission: 'rollout:propose' },
  { to: '/audit', labelKey: 'nav.audit', permission: 'audit:view' },
  { to: '/admin/facilities', labelKey: 'nav.registry', permission: 'registry:manage' },
  { to: '/admin/models', labelKey: 'nav.models', permission: 'models:manage' },
  { to: '/admin/cost-tables', labelKey: 'nav.costTables', permission: 'costs:manage' },
  { to: '/admin/rounds', labelKey: 'nav.rounds', permission: 'rounds:manage' },
  { to: '/methodology', labelKey: 'nav.methodology', permission: 'account:self' },
  { to: '/admin/users', labelKey: 'nav.users', permission: 'users:manage' },
  { to: '/admin/tokens', labelKey: 'nav.apiTokens', permission: 'tokens:manage' },
  { to: '/account', labelKey: 'nav.account', permission: 'account:self' },
  { to: '/help', labelKey: 'nav.help', permission: 'account:self' },
]

export function navLinksFor(role: Role): NavLink[] {
  return NAV_LINKS.filter((link) => roleCan(role, link.permission))
}

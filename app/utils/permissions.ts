/**
 * The one permission table: which role may do what. Guards
 * (`requirePermission`), navigation and tests all read it, so a role's reach
 * is changed here and nowhere else. Scope (which facilities) is a separate
 * rule, `facilityFilterFor` in auth.server.ts: a permission says a province
 * reviewer may open the facilities table, the scope says which rows it holds.
 *
 * Browser-safe (no server imports): the navigation reads it while rendering.
 */
import type { Role } from '../../db/schema.ts'

const FACILITY = ['director', 'staff'] as const satisfies readonly Role[]
const REVIEWERS = ['province_reviewer', 'ministry_reviewer'] as const satisfies readonly Role[]
const EVERYONE = [
  'director',
  'staff',
  'province_reviewer',
  'ministry_reviewer',
  'admin',
] as const satisfies readonly Role[]

export const PERMISSIONS = {
  /** Fill the facility's own self-assessment: save drafts, upload and remove evidence. */
  'assessment:edit': FACILITY,
  /** Sign off and submit it (staff prepare, the director submits, with the password again). */
  'assessment:submit': ['director'],
  /** See the facility's own results. */
  'results:view': FACILITY,
  /** The facilities table, facility pages and printable reports within scope. */
  'facilities:view': [...REVIEWERS, 'admin'],
  /** The review queue and review pages: verify, return, unlock, verified values. */
  'review:act': REVIEWERS,
  /** The round overview per province. */
  'overview:view': [...REVIEWERS, 'admin'],
  /** Compare facilities side by side. */
  'compare:view': [...REVIEWERS, 'admin'],
  /** The wave planner, saved runs, their exports and robustness jobs (scoped). */
  'waves:view': [...REVIEWERS, 'admin'],
  /** Save ranking runs (national planning). */
  'waves:plan': ['ministry_reviewer', 'admin'],
  /** Rollout progress (national, per province, per wave) and its exports (scoped). */
  'rollout:view': [...REVIEWERS, 'admin'],
  /** Adopt a saved ranking run as an official wave (national planning). */
  'rollout:adopt': ['ministry_reviewer'],
  /** Propose the own facility's rollout milestones. */
  'rollout:propose': ['director'],
  /** Confirm or return proposed milestones (province reviewers within their province). */
  'rollout:confirm': REVIEWERS,
  /** The audit log. */
  'audit:view': ['ministry_reviewer', 'admin'],
  /** The national facility registry: import, export, close and reopen facilities. */
  'registry:manage': ['admin'],
  /** Assessment rounds: create and edit dates, versions and configurable gates. */
  'rounds:manage': ['admin'],
  /** Grant, change or withdraw a facility's deadline extension (province reviewers within scope). */
  'extensions:grant': REVIEWERS,
  /** Questionnaire and scoring-model versions: upload, preview against a round, re-score. */
  'models:manage': ['admin'],
  /** Remedial-action cost tables: list, view, export, save a new version (issue #21). */
  'costs:manage': ['admin'],
  /** The system counts on the home page. */
  'system:overview': ['admin'],
  /** User administration: accounts, roles and scopes, links, bulk creation, second-factor reset. */
  'users:manage': ['admin'],
  /** A round's raw answers (CSV, XLSX) and codebook, within scope (issue #19). */
  'answers:export': [...REVIEWERS, 'admin'],
  /** API tokens for the Ministry's other systems: issue, list, revoke (issue #19). */
  'tokens:manage': ['admin'],
  /** Every signed-in user: home page, methodology, own account. */
  'account:self': EVERYONE,
  /**
   * The national roadmap, its budget scenarios and the support curves, within scope like the
   * planner (issue #21); administrators too, as on the planner: they keep the cost table the
   * uplifts are priced with and look at what a new version changes.
   */
  'roadmap:view': [...REVIEWERS, 'admin'],
  /** Save roadmap scenario sets (national planning, issue #21). */
  'roadmap:save': ['ministry_reviewer'],
} as const satisfies Record<string, readonly Role[]>

export type Permission = keyof typeof PERMISSIONS

/** Pure: does this role hold the permission? */
export function roleCan(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role)
}

/** Pure: may this user (anything with a role) do it? */
export function can(user: { role: Role } | null | undefined, permission: Permission): boolean {
  return user ? roleCan(user.role, permission) : false
}

/** Every permission a role holds, in table order (for the session payload and tests). */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => roleCan(role, p))
}

import { describe, expect, it } from 'vitest'
import { navLinksFor, NAV_LINKS } from '../../../app/components/nav-links.ts'
import { can, PERMISSIONS, permissionsOf, roleCan } from '../../../app/utils/permissions.ts'
import { ROLES } from '../../../db/schema.ts'

describe('the permission table', () => {
  it('names only real roles, each permission held by at least one', () => {
    for (const [permission, roles] of Object.entries(PERMISSIONS)) {
      expect(roles.length, permission).toBeGreaterThan(0)
      for (const role of roles) expect(ROLES).toContain(role)
    }
  })

  it('keeps facility users, reviewers and administrators apart', () => {
    expect(roleCan('director', 'assessment:edit')).toBe(true)
    // Staff prepare; the director signs off.
    expect(roleCan('staff', 'assessment:edit')).toBe(true)
    expect(roleCan('staff', 'assessment:submit')).toBe(false)
    expect(roleCan('director', 'assessment:submit')).toBe(true)
    expect(roleCan('province_reviewer', 'assessment:edit')).toBe(false)
    expect(roleCan('admin', 'review:act')).toBe(false)
    expect(roleCan('province_reviewer', 'waves:plan')).toBe(false)
    expect(roleCan('ministry_reviewer', 'waves:plan')).toBe(true)
    expect(roleCan('staff', 'audit:view')).toBe(false)
  })

  it('refuses a missing user', () => {
    expect(can(null, 'account:self')).toBe(false)
    expect(can({ role: 'admin' }, 'system:overview')).toBe(true)
  })

  it('lists a role’s permissions in table order', () => {
    expect(permissionsOf('director')).toEqual([
      'assessment:edit',
      'assessment:submit',
      'results:view',
      'rollout:propose',
      'account:self',
    ])
  })

  it('shows each navigation link exactly to the roles its permission names', () => {
    for (const role of ROLES) {
      const shown = navLinksFor(role).map((l) => l.to)
      const expected = NAV_LINKS.filter((l) => roleCan(role, l.permission)).map((l) => l.to)
      expect(shown).toEqual(expected)
    }
    expect(navLinksFor('province_reviewer').map((l) => l.to)).not.toContain('/audit')
    expect(navLinksFor('ministry_reviewer').map((l) => l.to)).toContain('/audit')
  })
})

/** Rows for the facility registry: administrators only; the facility page's close/reopen action. */
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const adminOnly = (status: number) => ({ ...signedIn(403), admin: status })

export function rows(f: Fixtures): MatrixRow[] {
  const facility = `/facilities/${f.otherProvinceFacilityId}`
  return [
    { route: 'admin.facilities._index', path: '/admin/facilities', expect: adminOnly(200) },
    {
      route: 'admin.facilities._index',
      path: '/admin/facilities?q=bach+mai&status=closed&page=-2',
      expect: adminOnly(200),
    },
    {
      route: 'admin.facilities._index',
      path: '/admin/facilities.data',
      expect: { ...adminOnly(200), anonymous: 202 },
    },
    { route: 'admin.facilities.import', path: '/admin/facilities/import', expect: adminOnly(200) },
    // An apply without a previewed upload: refused as expired for the admin, 403 for the rest.
    {
      route: 'admin.facilities.import',
      path: '/admin/facilities/import',
      method: 'POST',
      form: { intent: 'apply', sha256: 'a'.repeat(64), planHash: 'b'.repeat(64) },
      expect: adminOnly(410),
    },
    {
      route: 'admin.facilities.import',
      path: '/admin/facilities/import',
      method: 'POST',
      form: { intent: 'apply' },
      expect: adminOnly(400),
    },
    {
      route: 'admin.facilities.import',
      path: '/admin/facilities/import',
      method: 'POST',
      form: { intent: 'apply', sha256: 'a'.repeat(64), planHash: 'b'.repeat(64) },
      crossSite: true,
      expect: all(403),
    },
    {
      route: 'admin.facilities.export[.]csv',
      path: '/admin/facilities/export.csv',
      expect: adminOnly(200),
    },
    {
      route: 'admin.facilities.export[.]xlsx',
      path: '/admin/facilities/export.xlsx',
      expect: adminOnly(200),
    },
    // Closing: administrators only; a blank reason is a 400 and closes nothing.
    {
      route: 'facilities.$facilityId',
      path: facility,
      method: 'POST',
      form: { intent: 'close', reason: '  ' },
      expect: adminOnly(400),
    },
    {
      route: 'facilities.$facilityId',
      path: '/facilities/999999',
      method: 'POST',
      form: { intent: 'close', reason: 'x' },
      expect: adminOnly(404),
    },
    {
      route: 'facilities.$facilityId',
      path: facility,
      method: 'POST',
      form: { intent: 'close', reason: 'x' },
      crossSite: true,
      expect: all(403),
    },
  ]
}

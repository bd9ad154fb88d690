/**
 * The rows of the access matrix. Each route file in app/routes appears at
 * least once (its `route` is the file name without extension). Statuses:
 * 200 page, 302 redirect (to /login when signed out), 403 refused, 404 not
 * found or outside scope, 400 bad input.
 */
export const ACTORS = [
  { name: 'anonymous', login: null },
  { name: 'director', login: 'giamdoc.thanhhoa' },
  { name: 'staff', login: 'nhanvien.thanhhoa' },
  { name: 'provinceReviewer', login: 'soyte.thanhhoa' },
  { name: 'otherProvinceReviewer', login: 'soyte.caobang' },
  { name: 'ministryReviewer', login: 'boyte' },
  { name: 'admin', login: 'quantri' },
] as const

export type Actor = (typeof ACTORS)[number]['name']

export interface Fixtures {
  /** The facility of the director and staff (province 38). */
  ownFacilityId: number
  /** Another facility of province 38. */
  sameProvinceFacilityId: number
  /** A facility of province 04. */
  otherProvinceFacilityId: number
}

export interface MatrixRow {
  route: string
  path: string
  method?: 'GET' | 'POST'
  form?: Record<string, string>
  /** Sent with a foreign Origin and Sec-Fetch-Site: cross-site. */
  crossSite?: boolean
  expect: Record<Actor, number>
}

const all = (status: number): Record<Actor, number> => ({
  anonymous: status,
  director: status,
  staff: status,
  provinceReviewer: status,
  otherProvinceReviewer: status,
  ministryReviewer: status,
  admin: status,
})

const signedIn = (status: number, anonymous = 302): Record<Actor, number> => ({
  ...all(status),
  anonymous,
})

export function buildMatrix(f: Fixtures): MatrixRow[] {
  return [
    { route: '_index', path: '/', expect: signedIn(200) },
    { route: 'login', path: '/login', expect: { ...all(302), anonymous: 200 } },
    {
      route: 'login',
      path: '/login',
      method: 'POST',
      form: { login: 'x', password: 'y' },
      crossSite: true,
      expect: all(403),
    },
    // Bad input is a 400 with field errors; a signed-in user is sent home instead.
    {
      route: 'login',
      path: '/login',
      method: 'POST',
      form: { login: '', password: '' },
      expect: { ...all(302), anonymous: 400 },
    },
    { route: 'logout', path: '/logout', expect: all(302) },
    {
      route: 'logout',
      path: '/logout',
      method: 'POST',
      crossSite: true,
      form: {},
      expect: all(403),
    },
    { route: 'set-language', path: '/set-language', expect: all(302) },
    {
      route: 'set-language',
      path: '/set-language',
      method: 'POST',
      form: { lang: 'xx' },
      expect: all(400),
    },
    {
      route: 'set-language',
      path: '/set-language',
      method: 'POST',
      form: { lang: 'en' },
      crossSite: true,
      expect: all(403),
    },
    { route: 'healthz', path: '/healthz', expect: all(200) },
    { route: '$', path: '/no-such-page', expect: all(404) },
    {
      route: 'facilities.$facilityId',
      path: `/facilities/${f.ownFacilityId}`,
      expect: { ...signedIn(200), otherProvinceReviewer: 404 },
    },
    {
      route: 'facilities.$facilityId',
      path: `/facilities/${f.sameProvinceFacilityId}`,
      expect: { ...signedIn(200), director: 404, staff: 404, otherProvinceReviewer: 404 },
    },
    {
      route: 'facilities.$facilityId',
      path: `/facilities/${f.otherProvinceFacilityId}`,
      expect: { ...signedIn(200), director: 404, staff: 404, provinceReviewer: 404 },
    },
    // Remix data requests (single fetch) are endpoints of their own.
    {
      route: 'facilities.$facilityId',
      path: `/facilities/${f.otherProvinceFacilityId}.data`,
      expect: {
        ...signedIn(200),
        anonymous: 202,
        director: 404,
        staff: 404,
        provinceReviewer: 404,
      },
    },
    { route: 'facilities.$facilityId', path: '/facilities/not-a-number', expect: signedIn(404) },
    { route: 'facilities.$facilityId', path: '/facilities/999999', expect: signedIn(404) },
  ]
}

/** Rows for the walking skeleton's routes. */
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

export function rows(f: Fixtures): MatrixRow[] {
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

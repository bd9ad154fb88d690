/**
 * Rows for the token API (issue #19) and its administration. The /api/v1
 * data endpoints take a bearer token only: a browser session, whatever its
 * role, gets the contract's 401, as signed out does (tests/integration/api.test.ts
 * covers the tokens). The document and its reference page are public.
 */
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const admins = (status: number) => ({ ...signedIn(403), admin: status })
/** Reviewers (each within their scope) and administrators; facilities are refused. */
const analysts = (status: number) => ({
  ...signedIn(403),
  provinceReviewer: status,
  otherProvinceReviewer: status,
  ministryReviewer: status,
  admin: status,
})

export function rows(f: Fixtures): MatrixRow[] {
  return [
    { route: 'api.v1.facilities', path: '/api/v1/facilities', expect: all(401) },
    {
      route: 'api.v1.facilities.$facilityId',
      path: `/api/v1/facilities/${f.ownFacilityId}`,
      expect: all(401),
    },
    { route: 'api.v1.rounds', path: '/api/v1/rounds', expect: all(401) },
    {
      route: 'api.v1.rounds.$roundId.assessments',
      path: '/api/v1/rounds/1/assessments',
      expect: all(401),
    },
    { route: 'api.v1.rounds.$roundId.scores', path: '/api/v1/rounds/1/scores', expect: all(401) },
    {
      route: 'api.v1.rounds.$roundId.answers[.]csv',
      path: '/api/v1/rounds/1/answers.csv',
      expect: all(401),
    },
    {
      route: 'api.v1.rounds.$roundId.codebook[.]csv',
      path: '/api/v1/rounds/1/codebook.csv',
      expect: all(401),
    },
    {
      route: 'api.v1.assessments.$assessmentId',
      path: '/api/v1/assessments/1',
      expect: all(401),
    },
    { route: 'api.v1.openapi[.]json', path: '/api/v1/openapi.json', expect: all(200) },
    { route: 'api.v1.docs', path: '/api/v1/docs', expect: all(200) },
    { route: 'admin.tokens', path: '/admin/tokens', expect: admins(200) },
    {
      route: 'rounds.$roundId.answers[.]csv',
      path: '/rounds/1/answers.csv',
      expect: analysts(200),
    },
    {
      route: 'rounds.$roundId.answers[.]csv',
      path: '/rounds/999999/answers.csv',
      expect: analysts(404),
    },
    {
      route: 'rounds.$roundId.answers[.]xlsx',
      path: '/rounds/1/answers.xlsx',
      expect: analysts(200),
    },
    {
      route: 'rounds.$roundId.codebook[.]csv',
      path: '/rounds/1/codebook.csv',
      expect: analysts(200),
    },
    {
      route: 'rounds.$roundId.codebook[.]csv',
      path: '/rounds/abc/codebook.csv',
      expect: analysts(404),
    },
    {
      route: 'admin.tokens',
      path: '/admin/tokens',
      method: 'POST',
      form: { intent: 'create', name: '', expiresOn: '' },
      expect: admins(400),
    },
    {
      route: 'admin.tokens',
      path: '/admin/tokens',
      method: 'POST',
      form: { intent: 'revoke', tokenId: '999999' },
      expect: admins(404),
    },
    {
      route: 'admin.tokens',
      path: '/admin/tokens',
      method: 'POST',
      form: {
        intent: 'create',
        name: 'matrix',
        scopes: 'facilities:read',
        expiresOn: '2099-01-01',
      },
      crossSite: true,
      expect: all(403),
    },
  ]
}

/** Rows for the director's journey and the public methodology page. */
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const facilityOnly = (status: number) => ({
  ...signedIn(403),
  director: status,
  staff: status,
})

/** A JSON endpoint answers a signed-out caller 401 in the error contract, never a redirect. */
const jsonEndpoint = (status: number) => ({ ...facilityOnly(status), anonymous: 401 })

export function rows(_f: Fixtures): MatrixRow[] {
  return [
    { route: 'assessment._index', path: '/assessment', expect: facilityOnly(200) },
    {
      route: 'assessment._index',
      path: '/assessment.data',
      expect: { ...facilityOnly(200), anonymous: 202 },
    },
    { route: 'results._index', path: '/results', expect: facilityOnly(200) },
    // The facility's own printed response; the blank form is for every signed-in user.
    { route: 'assessment.print', path: '/assessment/print', expect: facilityOnly(200) },
    { route: 'assessment.blank', path: '/assessment/blank', expect: signedIn(200) },
    {
      route: 'results._index',
      path: '/results.data',
      expect: { ...facilityOnly(200), anonymous: 202 },
    },
    { route: 'methodology', path: '/methodology', expect: all(200) },
    // The JSON endpoints: a form body is not JSON → 400 for facility users; others never get that far.
    {
      route: 'assessment.save',
      path: '/assessment/save',
      method: 'POST',
      form: { x: '1' },
      expect: jsonEndpoint(400),
    },
    {
      route: 'assessment.save',
      path: '/assessment/save',
      method: 'POST',
      form: {},
      crossSite: true,
      expect: all(403),
    },
    { route: 'assessment.save', path: '/assessment/save', expect: all(405) },
    {
      // Staff prepare, the director signs off: staff stop at the guard.
      route: 'assessment.submit',
      path: '/assessment/submit',
      method: 'POST',
      form: { x: '1' },
      expect: { ...jsonEndpoint(400), staff: 403 },
    },
    {
      route: 'assessment.submit',
      path: '/assessment/submit',
      method: 'POST',
      form: {},
      crossSite: true,
      expect: all(403),
    },
    {
      route: 'assessment.evidence',
      path: '/assessment/evidence',
      method: 'POST',
      form: { x: '1' },
      expect: jsonEndpoint(400),
    },
    {
      route: 'assessment.evidence',
      path: '/assessment/evidence',
      method: 'POST',
      form: {},
      crossSite: true,
      expect: all(403),
    },
    {
      route: 'assessment.evidence_.remove',
      path: '/assessment/evidence/remove',
      method: 'POST',
      form: { x: '1' },
      expect: jsonEndpoint(400),
    },
    {
      route: 'assessment.evidence_.remove',
      path: '/assessment/evidence/remove',
      method: 'POST',
      form: {},
      crossSite: true,
      expect: all(403),
    },
    { route: 'assessment.evidence_.remove', path: '/assessment/evidence/remove', expect: all(405) },
    // The sign-off's preview: read-only, for the facility's people; no round → 400.
    { route: 'assessment.preview', path: '/assessment/preview', expect: jsonEndpoint(400) },
    {
      route: 'assessment.preview',
      path: '/assessment/preview?roundId=999999',
      expect: jsonEndpoint(404),
    },
    { route: 'evidence.$evidenceId', path: '/evidence/999999', expect: signedIn(404) },
    { route: 'evidence.$evidenceId', path: '/evidence/abc', expect: signedIn(404) },
  ]
}

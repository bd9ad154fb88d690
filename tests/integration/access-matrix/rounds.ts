/**
 * Rows for rounds and extensions: /admin/rounds for administrators only;
 * a facility's extension page for reviewers with extensions:grant within
 * scope (another province's reviewer gets 404, like any out-of-scope page);
 * the methodology page per round, public.
 */
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const adminOnly = (status: number) => ({ ...signedIn(403), admin: status })
/** Province reviewers within scope and the ministry; others refused, out of scope 404. */
const granters = (status: number) => ({
  ...signedIn(403),
  provinceReviewer: status,
  otherProvinceReviewer: 404,
  ministryReviewer: status,
})

export async function rows(f: Fixtures): Promise<MatrixRow[]> {
  const round = await f.db
    .selectFrom('rounds')
    .select('id')
    .orderBy('opens_on', 'desc')
    .executeTakeFirstOrThrow()
  const extension = `/facilities/${f.ownFacilityId}/extension`
  return [
    { route: 'admin.rounds._index', path: '/admin/rounds', expect: adminOnly(200) },
    { route: 'admin.rounds.new', path: '/admin/rounds/new', expect: adminOnly(200) },
    // Blank fields: 400 with field errors, nothing created.
    {
      route: 'admin.rounds.new',
      path: '/admin/rounds/new',
      method: 'POST',
      form: { name: ' ', opensOn: '', closesOn: '' },
      expect: adminOnly(400),
    },
    {
      route: 'admin.rounds.new',
      path: '/admin/rounds/new',
      method: 'POST',
      form: { name: 'x' },
      crossSite: true,
      expect: all(403),
    },
    { route: 'admin.rounds.$roundId', path: `/admin/rounds/${round.id}`, expect: adminOnly(200) },
    { route: 'admin.rounds.$roundId', path: '/admin/rounds/999999', expect: adminOnly(404) },
    { route: 'admin.rounds.$roundId', path: '/admin/rounds/abc', expect: adminOnly(404) },
    // Without the edit version: 400, nothing changed.
    {
      route: 'admin.rounds.$roundId',
      path: `/admin/rounds/${round.id}`,
      method: 'POST',
      form: { name: 'x' },
      expect: adminOnly(400),
    },
    { route: 'facilities.$facilityId_.extension', path: extension, expect: granters(200) },
    {
      route: 'facilities.$facilityId_.extension',
      path: '/facilities/999999/extension',
      expect: { ...granters(404), provinceReviewer: 404 },
    },
    // A blank reason: 400 for those who may grant, and nothing is granted.
    {
      route: 'facilities.$facilityId_.extension',
      path: extension,
      method: 'POST',
      form: { intent: 'grant', roundId: String(round.id), closesOn: '2030-01-01', reason: ' ' },
      expect: granters(400),
    },
    {
      route: 'facilities.$facilityId_.extension',
      path: extension,
      method: 'POST',
      form: { intent: 'withdraw', roundId: String(round.id) },
      crossSite: true,
      expect: all(403),
    },
    { route: 'methodology', path: `/methodology?round=${round.id}`, expect: all(200) },
    { route: 'methodology', path: '/methodology?round=999999', expect: all(404) },
    { route: 'methodology', path: '/methodology?round=abc', expect: all(404) },
  ]
}

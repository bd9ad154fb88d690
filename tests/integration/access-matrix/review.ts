/** Rows for the review queue and the review page. */
import { signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const reviewersOnly = (status: number) => ({
  ...signedIn(403),
  provinceReviewer: status,
  otherProvinceReviewer: status,
  ministryReviewer: status,
})

export async function rows(f: Fixtures): Promise<MatrixRow[]> {
  // A submitted assessment of Thanh Hoá (38) in the current round.
  const row = await f.db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .select('assessments.id')
    .where('facilities.province_code', '=', '38')
    .where('assessments.status', '=', 'submitted')
    .orderBy('assessments.id', 'desc')
    .executeTakeFirstOrThrow()
  return [
    { route: 'review._index', path: '/review', expect: reviewersOnly(200) },
    {
      route: 'review.$assessmentId',
      path: `/review/${row.id}`,
      expect: { ...reviewersOnly(200), otherProvinceReviewer: 404 },
    },
    {
      route: 'review.$assessmentId',
      path: `/review/${row.id}.data`,
      expect: { ...reviewersOnly(200), anonymous: 202, otherProvinceReviewer: 404 },
    },
    // A bad version never changes anything: 409 in scope, 404 outside, 403 for other roles.
    {
      route: 'review.$assessmentId',
      path: `/review/${row.id}`,
      method: 'POST',
      form: { intent: 'verify', version: '999999' },
      expect: { ...reviewersOnly(409), otherProvinceReviewer: 404 },
    },
    { route: 'review.$assessmentId', path: '/review/999999', expect: reviewersOnly(404) },
  ]
}

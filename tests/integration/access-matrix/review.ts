/** Rows for the review queue and the review page. */
import { signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const reviewersOnly = (status: number) => ({
  ...signedIn(403),
  provinceReviewer: status,
  otherProvinceReviewer: status,
  ministryReviewer: status,
})

const reviewersAndAdmin = (status: number) => ({ ...reviewersOnly(status), admin: status })
const auditors = (status: number) => ({ ministryReviewer: status, admin: status })

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

    // Compare: reviewers and admins; a facility outside the scope makes the whole page 404.
    { route: 'compare', path: '/compare', expect: reviewersAndAdmin(200) },
    {
      route: 'compare',
      path: `/compare?ids=${f.ownFacilityId},${f.sameProvinceFacilityId}`,
      expect: { ...reviewersAndAdmin(200), otherProvinceReviewer: 404 },
    },
    {
      route: 'compare',
      path: `/compare.data?ids=${f.ownFacilityId},${f.otherProvinceFacilityId}`,
      expect: {
        ...reviewersAndAdmin(200),
        anonymous: 202,
        provinceReviewer: 404,
        otherProvinceReviewer: 404,
      },
    },
    {
      route: 'compare',
      path: `/compare?ids=${f.ownFacilityId}`,
      expect: reviewersAndAdmin(400),
    },
    // Codes are resolved within the scope: an out-of-scope code is named as not found.
    {
      route: 'compare',
      path: '/compare?codes=38001,04004',
      expect: { ...reviewersAndAdmin(302), provinceReviewer: 400, otherProvinceReviewer: 400 },
    },

    // Audit log: the Ministry and administrators only.
    { route: 'audit', path: '/audit', expect: { ...signedIn(403), ...auditors(200) } },
    {
      route: 'audit',
      path: '/audit.data?action=assessment.verify',
      expect: { ...signedIn(403), anonymous: 202, ...auditors(200) },
    },
    {
      route: 'audit',
      path: '/audit?from=2026-13-01&actor=NOBODY%20HERE',
      expect: { ...signedIn(403), ...auditors(400) },
    },
  ]
}

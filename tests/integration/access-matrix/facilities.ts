/** Rows for the reviewers' facilities table. */
import { signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

export function rows(_f: Fixtures): MatrixRow[] {
  const reviewers = (status: number) => ({ ...signedIn(status), director: 403, staff: 403 })
  return [
    { route: 'facilities._index', path: '/facilities', expect: reviewers(200) },
    {
      route: 'facilities._index',
      path: '/facilities?q=bach+mai&sort=composite&dir=desc&page=2',
      expect: reviewers(200),
    },
    {
      route: 'facilities._index',
      path: '/facilities?tier=hospital&page=-1',
      expect: reviewers(200),
    },
    {
      route: 'facilities._index',
      path: '/facilities.data',
      expect: { ...reviewers(200), anonymous: 202 },
    },
    { route: 'rounds.overview', path: '/rounds/overview', expect: reviewers(200) },
    {
      route: 'audit',
      path: '/audit?action=login&from=2026-01-01',
      expect: { ...signedIn(403), ministryReviewer: 200, admin: 200 },
    },
  ]
}

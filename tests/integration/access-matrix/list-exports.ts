/**
 * Rows for the downloads of the facilities table and the round overview
 * (issue #19): the pages' own permissions (reviewers within their scope and
 * administrators; facilities refused), with filters in the URL; a malformed
 * filter falls back to the default, as on the page.
 */
import { signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const reviewers = (status: number) => ({ ...signedIn(status), director: 403, staff: 403 })

export function rows(_f: Fixtures): MatrixRow[] {
  return [
    { route: 'facilities.export[.]csv', path: '/facilities/export.csv', expect: reviewers(200) },
    {
      route: 'facilities.export[.]csv',
      path: '/facilities/export.csv?province=04&status=submitted&sort=composite&dir=desc',
      expect: reviewers(200),
    },
    {
      route: 'facilities.export[.]xlsx',
      path: '/facilities/export.xlsx?tier=hospital&sort=domain.x',
      expect: reviewers(200),
    },
    {
      route: 'rounds.overview.export[.]csv',
      path: '/rounds/overview/export.csv',
      expect: reviewers(200),
    },
    {
      route: 'rounds.overview.export[.]xlsx',
      path: '/rounds/overview/export.xlsx',
      expect: reviewers(200),
    },
  ]
}

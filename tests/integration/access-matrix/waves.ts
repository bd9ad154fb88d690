/** Rows for the wave planner, its exports and the JSON API. */
import { signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const reviewers = (status: number) => ({
  ...signedIn(status),
  director: 403,
  staff: 403,
})

export function rows(_f: Fixtures): MatrixRow[] {
  return [
    { route: 'waves._index', path: '/waves', expect: reviewers(200) },
    { route: 'waves._index', path: '/waves?capacity=-1', expect: reviewers(200) },
    { route: 'waves._index', path: '/waves.data', expect: { ...reviewers(200), anonymous: 202 } },
    { route: 'waves.export[.]csv', path: '/waves/export.csv', expect: reviewers(200) },
    { route: 'waves.export[.]csv', path: '/waves/export.csv?capacity=abc', expect: reviewers(400) },
    { route: 'waves.export[.]xlsx', path: '/waves/export.xlsx', expect: reviewers(200) },
    { route: 'api.v1.waves', path: '/api/v1/waves', expect: reviewers(200) },
  ]
}

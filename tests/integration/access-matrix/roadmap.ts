/** Rows for the national roadmap (#21): reviewers only, each within their scope. */
import { signedIn, type MatrixRow } from '../access-matrix.routes.ts'

const reviewers = (status: number) => ({
  ...signedIn(status),
  director: 403,
  staff: 403,
  admin: 403,
})

export function rows(): MatrixRow[] {
  const query = 'periods=2&start=2027-01-01&capacity=5&budgets=30,60'
  return [
    { route: 'waves.roadmap._index', path: '/waves/roadmap', expect: reviewers(200) },
    { route: 'waves.roadmap._index', path: `/waves/roadmap?${query}`, expect: reviewers(200) },
    // Bad input is listed on the page, nothing computed.
    { route: 'waves.roadmap._index', path: '/waves/roadmap?periods=0', expect: reviewers(200) },
  ]
}

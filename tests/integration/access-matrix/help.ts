/** Rows for the help page: every signed-in role, its own guide. */
import { signedIn, type MatrixRow } from '../access-matrix.routes.ts'

export function rows(): MatrixRow[] {
  return [{ route: 'help', path: '/help', expect: signedIn(200) }]
}

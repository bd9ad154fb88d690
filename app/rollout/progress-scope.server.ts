/**
 * The scope of the progress page and its exports: the user's own
 * (`facilityFilterFor`), narrowed to one province when a national user asks;
 * a province reviewer asking for another province gets 404, like any
 * facility outside their scope.
 */
import {
  facilityFilterFor,
  notFound,
  type FacilityFilter,
  type SessionUser,
} from '../utils/auth.server.ts'
import { ProgressQuerySchema } from './progress-query.ts'

export function progressScope(
  user: SessionUser,
  search: URLSearchParams,
): { filter: FacilityFilter; waveId: number | null; province: string | null } | null {
  const parsed = ProgressQuerySchema.safeParse(Object.fromEntries(search))
  if (!parsed.success) return null
  const own = facilityFilterFor(user)
  const province = parsed.data.province ?? null
  let filter = own
  if (province !== null) {
    if (own.kind === 'all') filter = { kind: 'province', provinceCode: province }
    else if (own.kind !== 'province' || own.provinceCode !== province) throw notFound()
  }
  return { filter, waveId: parsed.data.wave ?? null, province }
}

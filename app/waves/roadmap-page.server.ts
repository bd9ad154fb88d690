/**
 * The roadmap page (`/waves/roadmap`): what its loader shows for the URL's
 * parameters. The route only guards, limits, parses and responds.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { Locale } from '../i18n.ts'
import { listRoadmapScenarios } from '../models/roadmap.server.ts'
import { listRounds } from '../models/round.server.ts'
import { facilityFilterFor, type SessionUser } from '../utils/auth.server.ts'
import { can } from '../utils/permissions.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { levelChoices } from './planner-page.server.ts'
import { parseRoadmapSearch } from './roadmap-params.server.ts'
import { buildRoadmap } from './roadmap.server.ts'
import { scenarioVisibleTo } from './roadmap-scenarios.server.ts'
import { roadmapView } from './roadmap-view.server.ts'
import { paramIssueErrors, type FieldErrors } from './planner.server.ts'

/** Whether the URL asks for a roadmap (an empty one shows the form only, computing nothing). */
export function asksForRoadmap(search: URLSearchParams): boolean {
  return [...search.keys()].length > 0
}

/**
 * Everything the page shows. Computing never writes: the page is a GET form,
 * so a roadmap is a shareable URL.
 */
export async function getRoadmapPage(
  db: Kysely<Database>,
  user: SessionUser,
  search: URLSearchParams,
  locale: Locale,
) {
  const today = todayInVietnam()
  const scope = facilityFilterFor(user)
  const base = {
    canSave: can(user, 'roadmap:save'),
    rounds: await listRounds(db),
    saved: (await listRoadmapScenarios(db, 50))
      .filter((s) => scenarioVisibleTo(s.scope, scope))
      .slice(0, 10)
      .map((s) => ({
        id: s.id,
        name: s.name,
        roundName: s.round_name,
        createdAt: s.created_at,
        createdBy: s.created_by_name,
      })),
    values: Object.fromEntries(search),
    query: search.toString(),
  }
  const empty = async (fieldErrors: FieldErrors, missing: string | null) => ({
    ...base,
    levels: await levelChoices(db, undefined, locale, today),
    fieldErrors,
    missing,
    roadmap: null,
  })
  if (!asksForRoadmap(search)) return empty({}, null)
  const parsed = parseRoadmapSearch(search, locale, today)
  if (!parsed.success) return empty(parsed.fieldErrors, null)
  const built = await buildRoadmap(db, scope, parsed.data, today)
  if ('missing' in built) return empty({}, built.missing)
  if ('invalid' in built) {
    const fieldErrors = paramIssueErrors(built.invalid, locale)
    return empty(fieldErrors, null)
  }
  return {
    ...base,
    levels: await levelChoices(db, built.roadmap.model.rowId, locale, today),
    fieldErrors: {},
    missing: null,
    roadmap: roadmapView(built.roadmap),
  }
}

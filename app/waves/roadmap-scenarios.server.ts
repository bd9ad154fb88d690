/**
 * Saved roadmap scenario sets (roadmap_scenarios, 0021), like ranking runs:
 * a set stores every parameter (round and model pinned), the scope, the cost
 * table, the input hash and the whole roadmap as shown, so opening it later
 * shows and exports exactly the same schedules whatever the data became.
 * Saving writes one audit row in the same transaction.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import type { Locale } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getRoadmapScenario, insertRoadmapScenario } from '../models/roadmap.server.ts'
import type { FacilityFilter, SessionUser } from '../utils/auth.server.ts'
import { facilityFilterFor } from '../utils/auth.server.ts'
import { canonicalJson } from './canonical-json.ts'
import { localized } from '../utils/localized.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { parseRoadmapSearch } from './roadmap-params.server.ts'
import { buildRoadmap, type Roadmap } from './roadmap.server.ts'

const STORED_VERSION = 1

export const RoadmapActionSchema = z.object({
  intent: z.literal('save'),
  // Refusals worded by zodMessages where the route parses it.
  name: z.string().trim().min(1).max(120),
  params: z.string().max(30_000),
})
export type RoadmapAction = z.infer<typeof RoadmapActionSchema>

// The stored roadmap is this module's own output; the check guards against a
// row written by another version of the code, not against hostile input.
const StoredRoadmapSchema = z.object({
  version: z.literal(STORED_VERSION),
  roadmap: z.object({
    round: z.object({ id: z.number(), name: z.string() }),
    scope: z.object({ kind: z.enum(['all', 'province', 'facility']) }),
    facilities: z.array(z.object({ facilityId: z.number() })),
    scenarios: z.array(z.object({ budgetBn: z.number(), feasible: z.boolean() })),
    inputHash: z.string(),
  }),
})

export interface SavedScenarioSet {
  id: number
  name: string
  createdAt: string
  createdBy: number
  roadmap: Roadmap
}

/** Whether a set built in `scope` may be shown to a user whose scope is `viewer`. */
export function scenarioVisibleTo(scope: FacilityFilter, viewer: FacilityFilter): boolean {
  // National figures (coverage, who misses) are not cut down to a province: only the same scope or the nation sees them.
  return viewer.kind === 'all' || canonicalJson(scope) === canonicalJson(viewer)
}

/** A saved set as stored, or null when it does not exist or lies outside the viewer's scope. */
export async function loadScenarioSet(
  db: Kysely<Database>,
  id: number,
  viewer: FacilityFilter,
): Promise<SavedScenarioSet | null> {
  const row = await getRoadmapScenario(db, id)
  if (!row) return null
  const raw: unknown = JSON.parse(row.result_json)
  const checked = StoredRoadmapSchema.safeParse(raw)
  if (!checked.success) throw new Error(`roadmap scenario ${id} has an unknown stored shape`)
  // Checked above for its version and the fields every reader uses; the rest is this module's output.
  const roadmap = (raw as { roadmap: Roadmap }).roadmap
  if (!scenarioVisibleTo(roadmap.scope, viewer)) return null
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    createdBy: row.created_by,
    roadmap,
  }
}

/** Stores a built roadmap as a named scenario set (the caller audits); returns its id. */
export async function storeScenarioSet(
  db: Kysely<Database>,
  input: { name: string; roadmap: Roadmap; userId: number; now: string },
): Promise<number> {
  const { roadmap } = input
  return insertRoadmapScenario(db, {
    name: input.name,
    roundId: roadmap.round.id,
    scoringModelId: roadmap.model.rowId,
    costTableId: roadmap.costTable.id,
    paramsJson: JSON.stringify({ ...roadmap.params, scope: roadmap.scope }),
    inputHash: roadmap.inputHash,
    resultJson: JSON.stringify({ version: STORED_VERSION, roadmap }),
    createdBy: input.userId,
    createdAt: input.now,
  })
}

export type RoadmapActionResult =
  { ok: true; redirect: string } | { ok: false; status: 400 | 404; formError: string }

/**
 * Saves the roadmap of the parameters (rebuilt from today's data, the same
 * view just shown) as a named scenario set, with one audit row.
 */
export async function saveScenarioSet(
  db: Kysely<Database>,
  user: SessionUser,
  action: RoadmapAction,
  meta: { clientIp: string; requestId: string },
  locale: Locale,
): Promise<RoadmapActionResult> {
  const today = todayInVietnam()
  const parsed = parseRoadmapSearch(new URLSearchParams(action.params), locale, today)
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      formError: Object.values(parsed.fieldErrors).flat().join(' '),
    }
  }
  const built = await buildRoadmap(db, facilityFilterFor(user), parsed.data, today)
  if ('missing' in built) return { ok: false, status: 404, formError: built.missing }
  if ('invalid' in built) {
    return {
      ok: false,
      status: 400,
      formError: built.invalid.map((i) => localized(i.message, locale)).join(' '),
    }
  }
  const { roadmap } = built
  const now = nowIso()
  const id = await db.transaction().execute(async (trx) => {
    const scenarioId = await storeScenarioSet(trx, {
      name: action.name,
      roadmap,
      userId: user.id,
      now,
    })
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: 'roadmap.scenario.save',
      entityType: 'roadmap_scenario',
      entityId: scenarioId,
      detail: {
        name: action.name,
        params: roadmap.params,
        scope: roadmap.scope,
        inputHash: roadmap.inputHash,
        costTable: roadmap.costTable,
        budgetsBn: roadmap.scenarios.map((s) => s.budgetBn),
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return scenarioId
  })
  return { ok: true, redirect: `/waves/roadmap/${id}` }
}

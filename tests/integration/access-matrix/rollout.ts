/** Rows for the rollout: progress, waves, the director's page, the confirmation queue, exports. */
import {
  insertMilestone,
  insertWave,
  insertWaveMembers,
} from '../../../app/models/rollout.server.ts'
import { buildWave } from '../../../app/waves/planner.server.ts'
import { saveRun } from '../../../app/waves/runs.server.ts'
import { parseWaveParams } from '../../../app/waves/wave-params.server.ts'
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const viewers = (status: number) => ({ ...signedIn(status), director: 403, staff: 403 })

const only = (actors: Partial<Record<keyof ReturnType<typeof all>, number>>, others = 403) => ({
  ...signedIn(others),
  ...actors,
})

/**
 * A wave holding the director's facility and one of each other province, and
 * in the director's province a full go-live proposed before its pilot is
 * confirmed: confirming it is refused (409) in scope and not found outside,
 * so the rows change nothing.
 */
async function fixtures(f: Fixtures) {
  const params = parseWaveParams(new URLSearchParams('capacity=5'), 'vi')
  if (!params.success) throw new Error('bad fixture params')
  const built = await buildWave(f.db, { kind: 'all' }, params.data, '2026-11-25')
  if (!('plan' in built)) throw new Error('no round in the test database')
  const ministry = await f.db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'boyte')
    .executeTakeFirstOrThrow()
  const director = await f.db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'giamdoc.thanhhoa')
    .executeTakeFirstOrThrow()
  const runId = await saveRun(f.db, {
    name: 'Rollout matrix run',
    plan: built.plan,
    scoringModelId: built.plan.model.rowId,
    userId: ministry.id,
    now: '2026-11-25T00:00:00.000Z',
  })
  const waveId = await insertWave(f.db, {
    runId,
    name: 'Matrix wave',
    targetGoLive: '2027-06-30',
    budgetVnd: 30_000_000_000,
    adoptedBy: ministry.id,
    adoptedAt: '2026-11-25T00:00:00.000Z',
  })
  await insertWaveMembers(
    f.db,
    waveId,
    [f.ownFacilityId, f.sameProvinceFacilityId, f.otherProvinceFacilityId].map((facilityId) => ({
      facilityId,
      costVnd: 10_000_000_000,
    })),
  )
  const proposal = {
    facilityId: f.sameProvinceFacilityId,
    note: '',
    evidenceRef: null,
    proposedBy: director.id,
    proposedAt: '2026-11-26T00:00:00.000Z',
  }
  await insertMilestone(f.db, { ...proposal, kind: 'pilot_live', occurredOn: '2026-11-20' })
  const liveId = await insertMilestone(f.db, {
    ...proposal,
    kind: 'full_live',
    occurredOn: '2026-11-21',
  })
  return { waveId, liveId }
}

export async function rows(f: Fixtures): Promise<MatrixRow[]> {
  const { waveId, liveId } = await fixtures(f)
  const exports = ['rollout.export[.]csv', 'rollout.export[.]xlsx'] as const
  return [
    { route: 'rollout._index', path: '/rollout', expect: viewers(200) },
    { route: 'rollout._index', path: `/rollout?wave=${waveId}`, expect: viewers(200) },
    { route: 'rollout._index', path: '/rollout?wave=999999', expect: viewers(404) },
    { route: 'rollout._index', path: '/rollout?wave=abc', expect: viewers(404) },
    // A province reviewer sees their province only; another province is not found.
    {
      route: 'rollout._index',
      path: '/rollout?province=04',
      expect: { ...viewers(200), provinceReviewer: 404 },
    },
    { route: 'rollout.waves', path: '/rollout/waves', expect: viewers(200) },
    {
      route: 'rollout.waves',
      path: '/rollout/waves',
      method: 'POST',
      form: { runId: '', name: '', targetGoLive: '', budgetBn: '' },
      expect: only({ ministryReviewer: 400 }),
    },
    {
      route: 'rollout.waves',
      path: '/rollout/waves',
      method: 'POST',
      form: { runId: '1', name: 'x', targetGoLive: '2027-01-01', budgetBn: '1' },
      crossSite: true,
      expect: all(403),
    },
    { route: 'rollout.facility', path: '/rollout/facility', expect: only({ director: 200 }) },
    {
      route: 'rollout.facility',
      path: '/rollout/facility',
      method: 'POST',
      form: { kind: 'nonsense', occurredOn: '2026-11-01', note: '', evidenceRef: '' },
      expect: only({ director: 400 }),
    },
    {
      route: 'rollout.confirm',
      path: '/rollout/confirm',
      expect: only({ provinceReviewer: 200, otherProvinceReviewer: 200, ministryReviewer: 200 }),
    },
    {
      route: 'rollout.confirm',
      path: '/rollout/confirm',
      method: 'POST',
      form: { milestoneId: String(liveId), decision: 'confirm', comment: '' },
      expect: only({ provinceReviewer: 409, otherProvinceReviewer: 404, ministryReviewer: 409 }),
    },
    {
      route: 'rollout.confirm',
      path: '/rollout/confirm',
      method: 'POST',
      form: { milestoneId: String(liveId), decision: 'return', comment: '' },
      expect: only({ provinceReviewer: 400, otherProvinceReviewer: 400, ministryReviewer: 400 }),
    },
    ...exports.flatMap((route): MatrixRow[] => {
      const path = route === 'rollout.export[.]csv' ? '/rollout/export.csv' : '/rollout/export.xlsx'
      return [
        { route, path, expect: viewers(200) },
        { route, path: `${path}?province=04`, expect: { ...viewers(200), provinceReviewer: 404 } },
      ]
    }),
  ]
}

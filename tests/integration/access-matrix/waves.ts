/** Rows for the wave planner, saved runs, robustness jobs, exports, the JSON API and the report. */
import { randomUUID } from 'node:crypto'
import { buildWave } from '../../../app/waves/planner.server.ts'
import { parseWaveParams } from '../../../app/waves/wave-params.server.ts'
import { saveRun } from '../../../app/waves/runs.server.ts'
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const reviewers = (status: number) => ({
  ...signedIn(status),
  director: 403,
  staff: 403,
})

/** JSON for machines and polling: a signed-out caller gets the contract's 401, not the login page. */
const reviewersJson = (status: number) => ({ ...reviewers(status), anonymous: 401 })

const planners = (status: number) => ({
  ...reviewers(status),
  provinceReviewer: 403,
  otherProvinceReviewer: 403,
})

/** A saved national run in the test database, built with the app's own planner. */
async function savedRunId(f: Fixtures): Promise<number> {
  const params = parseWaveParams(new URLSearchParams('capacity=20'), 'vi')
  if (!params.success) throw new Error('bad fixture params')
  const built = await buildWave(f.db, { kind: 'all' }, params.data, '2026-11-25')
  if (!('plan' in built)) throw new Error('no round in the test database')
  const admin = await f.db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'boyte')
    .executeTakeFirstOrThrow()
  return saveRun(f.db, {
    name: 'Access matrix run',
    plan: built.plan,
    scoringModelId: built.plan.model.rowId,
    userId: admin.id,
    now: '2026-11-25T00:00:00.000Z',
  })
}

export async function rows(f: Fixtures): Promise<MatrixRow[]> {
  const runId = await savedRunId(f)
  const run = `/waves/runs/${runId}`
  return [
    { route: 'waves._index', path: '/waves', expect: reviewers(200) },
    { route: 'waves._index', path: '/waves?capacity=-1', expect: reviewers(200) },
    { route: 'waves._index', path: '/waves.data', expect: { ...reviewers(200), anonymous: 202 } },
    // Saving and robustness are for planners; province reviewers have a read-only page.
    {
      route: 'waves._index',
      path: '/waves?index',
      method: 'POST',
      form: { intent: 'save', name: 'Matrix', params: 'capacity=10' },
      expect: planners(302),
    },
    {
      route: 'waves._index',
      path: '/waves?index',
      method: 'POST',
      form: { intent: 'save', name: '', params: 'capacity=10' },
      expect: planners(400),
    },
    {
      route: 'waves._index',
      path: '/waves?index',
      method: 'POST',
      form: { intent: 'save', name: 'x', params: '' },
      crossSite: true,
      expect: all(403),
    },
    { route: 'waves.export[.]csv', path: '/waves/export.csv', expect: reviewers(200) },
    { route: 'waves.export[.]csv', path: '/waves/export.csv?capacity=abc', expect: reviewers(400) },
    { route: 'waves.export[.]xlsx', path: '/waves/export.xlsx', expect: reviewers(200) },
    { route: 'api.v1.waves', path: '/api/v1/waves', expect: reviewersJson(200) },
    { route: 'waves.runs._index', path: '/waves/runs', expect: reviewers(200) },
    // Any reviewer may open a run; a province reviewer sees only their province's rows.
    { route: 'waves.runs.$runId._index', path: run, expect: reviewers(200) },
    { route: 'waves.runs.$runId._index', path: `${run}?rerun=1`, expect: reviewers(200) },
    { route: 'waves.runs.$runId._index', path: '/waves/runs/999999', expect: reviewers(404) },
    { route: 'waves.runs.$runId._index', path: '/waves/runs/abc', expect: reviewers(404) },
    { route: 'waves.runs.$runId.export[.]csv', path: `${run}/export.csv`, expect: reviewers(200) },
    {
      route: 'waves.runs.$runId.export[.]csv',
      path: '/waves/runs/999999/export.csv',
      expect: reviewers(404),
    },
    {
      route: 'waves.runs.$runId.export[.]xlsx',
      path: `${run}/export.xlsx`,
      expect: reviewers(200),
    },
    {
      route: 'api.v1.waves.runs.$runId',
      path: `/api/v1/waves/runs/${runId}`,
      expect: reviewersJson(200),
    },
    { route: 'api.v1.waves.runs.$runId', path: '/api/v1/waves/runs/0', expect: reviewersJson(400) },
    // A job id that is not the user's own (here: nobody's) is a 404, never someone else's progress.
    { route: 'waves.jobs.$jobId', path: `/waves/jobs/${randomUUID()}`, expect: reviewersJson(404) },
    { route: 'waves.jobs.$jobId', path: '/waves/jobs/not-a-uuid', expect: reviewersJson(404) },
    // The printable report follows the facility's scope: outside it (or missing) is a 404.
    {
      route: 'facilities.$facilityId_.report',
      path: `/facilities/${f.ownFacilityId}/report`,
      expect: { ...signedIn(200), otherProvinceReviewer: 404 },
    },
    {
      route: 'facilities.$facilityId_.report',
      path: `/facilities/${f.otherProvinceFacilityId}/report`,
      expect: { ...signedIn(200), director: 404, staff: 404, provinceReviewer: 404 },
    },
    {
      route: 'facilities.$facilityId_.report',
      path: '/facilities/999999/report',
      expect: { ...signedIn(404), anonymous: 302 },
    },
    {
      route: 'facilities.$facilityId_.report',
      path: '/facilities/abc/report',
      expect: signedIn(404),
    },
  ]
}

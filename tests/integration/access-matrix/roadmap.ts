/**
 * Rows for the national roadmap and the support curves (#21): reviewers, each within their
 * scope, and administrators (national, as on the planner); saving is the ministry's.
 */
import { parseRoadmapSearch } from '../../../app/waves/roadmap-params.server.ts'
import { storeScenarioSet } from '../../../app/waves/roadmap-scenarios.server.ts'
import { buildRoadmap } from '../../../app/waves/roadmap.server.ts'
import { all, signedIn, type Fixtures, type MatrixRow } from '../access-matrix.routes.ts'

const QUERY = 'periods=2&start=2027-01-01&capacity=5&budgets=30,60'

const reviewers = (status: number) => ({
  ...signedIn(status),
  director: 403,
  staff: 403,
})

/** A national scenario set saved by the ministry, built with the app's own roadmap. */
async function savedSetId(f: Fixtures): Promise<number> {
  const parsed = parseRoadmapSearch(new URLSearchParams(QUERY), 'vi', '2026-11-25')
  if (!parsed.success) throw new Error('bad fixture params')
  const built = await buildRoadmap(f.db, { kind: 'all' }, parsed.data, '2026-11-25')
  if (!('roadmap' in built)) throw new Error('no round in the test database')
  const ministry = await f.db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'boyte')
    .executeTakeFirstOrThrow()
  return storeScenarioSet(f.db, {
    name: 'Access matrix scenarios',
    roadmap: built.roadmap,
    userId: ministry.id,
    now: '2026-11-25T00:00:00.000Z',
  })
}

export async function rows(f: Fixtures): Promise<MatrixRow[]> {
  const id = await savedSetId(f)
  const set = `/waves/roadmap/${id}`
  // A national set is not cut down to a province: province reviewers get 404.
  const national = (status: number) => ({
    ...reviewers(status),
    provinceReviewer: 404,
    otherProvinceReviewer: 404,
  })
  return [
    { route: 'waves.roadmap._index', path: '/waves/roadmap', expect: reviewers(200) },
    { route: 'waves.roadmap._index', path: `/waves/roadmap?${QUERY}`, expect: reviewers(200) },
    // Bad input is listed on the page, nothing computed.
    { route: 'waves.roadmap._index', path: '/waves/roadmap?periods=0', expect: reviewers(200) },
    {
      route: 'waves.roadmap._index',
      path: '/waves/roadmap?index',
      method: 'POST',
      form: { intent: 'save', name: '', params: QUERY },
      expect: { ...signedIn(403), ministryReviewer: 400 },
    },
    {
      route: 'waves.roadmap._index',
      path: '/waves/roadmap?index',
      method: 'POST',
      form: { intent: 'save', name: 'x', params: QUERY },
      crossSite: true,
      expect: all(403),
    },
    { route: 'waves.roadmap.$scenarioId._index', path: set, expect: national(200) },
    {
      route: 'waves.roadmap.$scenarioId._index',
      path: '/waves/roadmap/999999',
      expect: reviewers(404),
    },
    {
      route: 'waves.roadmap.$scenarioId.export[.]csv',
      path: `${set}/export.csv`,
      expect: national(200),
    },
    // The support curves: a province reviewer's own province; another is refused on the page.
    { route: 'waves.support', path: '/waves/support', expect: reviewers(200) },
    {
      route: 'waves.support',
      path: '/waves/support?province=38&supportBn=2.5',
      expect: reviewers(200),
    },
    { route: 'waves.support', path: '/waves/support?supportBn=abc', expect: reviewers(200) },
    {
      route: 'waves.roadmap.$scenarioId.export[.]xlsx',
      path: `${set}/export.xlsx`,
      expect: national(200),
    },
  ]
}

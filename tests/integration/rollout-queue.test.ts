/**
 * The review queue names the rollout milestones waiting for the reader's
 * confirmation: a province reviewer those of their province, the ministry
 * every one, each linking to /rollout/confirm.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  insertMilestone,
  insertWave,
  insertWaveMembers,
  reviewMilestone,
} from '../../app/models/rollout.server.ts'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { buildWave } from '../../app/waves/planner.server.ts'
import { saveRun } from '../../app/waves/runs.server.ts'
import { parseWaveParams } from '../../app/waves/wave-params.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let ministry: TestClient
let province: TestClient
let reviewerId: number

const confirm = (id: number) =>
  reviewMilestone(db, {
    id,
    status: 'confirmed',
    reviewedBy: reviewerId,
    reviewedAt: new Date().toISOString(),
    comment: null,
  })

const idOf = async (code: string) =>
  (
    await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).id

beforeAll(async () => {
  const boyte = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'boyte')
    .executeTakeFirstOrThrow()
  reviewerId = boyte.id
  const params = parseWaveParams(new URLSearchParams('capacity=5'), 'vi')
  if (!params.success) throw new Error('bad params')
  const built = await buildWave(db, { kind: 'all' }, params.data, todayInVietnam())
  if (!('plan' in built)) throw new Error('no round')
  const runId = await saveRun(db, {
    name: 'Lần chạy cho hàng đợi',
    plan: built.plan,
    scoringModelId: built.plan.model.rowId,
    userId: boyte.id,
    now: new Date().toISOString(),
  })
  const waveId = await insertWave(db, {
    runId,
    name: 'Đợt hàng đợi',
    targetGoLive: '2027-06-30',
    budgetVnd: 10_000_000_000,
    adoptedBy: boyte.id,
    adoptedAt: '2026-01-05T03:00:00.000Z',
  })
  // Two proposals in Thanh Hóa (38), one in Hà Giang (04), and one already confirmed (not waiting).
  const thanhHoa = await idOf('38001')
  const haGiang = await idOf('04004')
  await insertWaveMembers(db, waveId, [
    { facilityId: thanhHoa, costVnd: 1 },
    { facilityId: haGiang, costVnd: 1 },
  ])
  const proposal = (facilityId: number, kind: 'plan_approved' | 'contract_signed', at: string) =>
    insertMilestone(db, {
      facilityId,
      kind,
      occurredOn: '2026-02-01',
      note: '',
      evidenceRef: null,
      proposedBy: boyte.id,
      proposedAt: at,
    })
  await proposal(thanhHoa, 'plan_approved', '2026-02-02T01:00:00.000Z')
  await proposal(thanhHoa, 'contract_signed', '2026-02-03T01:00:00.000Z')
  await proposal(haGiang, 'plan_approved', '2026-02-04T01:00:00.000Z')
  const done = await proposal(haGiang, 'contract_signed', '2026-02-05T01:00:00.000Z')
  await confirm(done)
  server = await startTestServer()
  ministry = new TestClient(server.origin)
  province = new TestClient(server.origin)
  await ministry.signIn('boyte')
  await province.signIn('soyte.thanhhoa')
}, 120_000)

afterAll(async () => {
  await server.close()
  await db.destroy()
})

/** The queue's milestone section, from its heading to the end of the section. */
function section(html: string): string {
  const start = html.indexOf('data-testid="pending-milestones"')
  expect(start).toBeGreaterThan(-1)
  return html.slice(start, html.indexOf('</section>', start))
}

describe('pending milestones in the review queue', () => {
  it('shows a province reviewer the proposals of their province only, linking to the confirmation page', async () => {
    const response = await province.request('/review')
    expect(response.status).toBe(200)
    const html = section(await response.text())
    expect(html).toContain('Mốc triển khai chờ xác nhận')
    expect(html).toContain('2 mốc đang chờ xác nhận trong phạm vi của bạn')
    expect(html).toContain('href="/rollout/confirm"')
    expect(html).toMatch(/\(38001\): Kế hoạch BAĐT được phê duyệt, đạt ngày 01\/02\/2026/)
    expect(html).toContain('(38001): Ký hợp đồng')
    expect(html).not.toContain('04004')
  })

  it('shows the ministry every proposal waiting, not the confirmed one', async () => {
    const html = section(await (await ministry.request('/review')).text())
    expect(html).toContain('3 mốc đang chờ xác nhận trong phạm vi của bạn')
    expect(html).toContain('(04004): Kế hoạch BAĐT được phê duyệt')
    expect(html).not.toContain('(04004): Ký hợp đồng')
  })

  it('says so when nothing waits', async () => {
    const waiting = await db
      .selectFrom('milestones')
      .select('id')
      .where('status', '=', 'proposed')
      .execute()
    for (const m of waiting) await confirm(m.id)
    const html = section(await (await province.request('/review')).text())
    expect(html).toContain('Không có mốc nào chờ xác nhận.')
    expect(html).not.toContain('href="/rollout/confirm"')
  })
})

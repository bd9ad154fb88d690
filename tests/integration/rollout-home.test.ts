/**
 * A director's home page shows their facility's rollout once it is in an
 * adopted wave: the milestones reported (proposed, confirmed, returned with
 * the reviewer's comment), the next step with its due date, and the link to
 * report one; before that, nothing of it.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MilestoneKind } from '../../db/schema.ts'
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
let director: TestClient
let boyteId: number
let facilityId: number

async function milestone(
  kind: MilestoneKind,
  occurredOn: string,
  review: { status: 'confirmed' | 'returned'; comment: string | null } | null,
) {
  const id = await insertMilestone(db, {
    facilityId,
    kind,
    occurredOn,
    note: '',
    evidenceRef: null,
    proposedBy: boyteId,
    proposedAt: `${occurredOn}T02:00:00.000Z`,
  })
  if (review)
    await reviewMilestone(db, {
      id,
      ...review,
      reviewedBy: boyteId,
      reviewedAt: `${occurredOn}T09:00:00.000Z`,
    })
}

function rolloutSection(html: string): string | null {
  const start = html.indexOf('data-testid="home-rollout"')
  return start === -1 ? null : html.slice(start, html.indexOf('</section>', start))
}

beforeAll(async () => {
  boyteId = (
    await db.selectFrom('users').select('id').where('login', '=', 'boyte').executeTakeFirstOrThrow()
  ).id
  facilityId = (
    await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', '38001')
      .executeTakeFirstOrThrow()
  ).id
  server = await startTestServer()
  director = new TestClient(server.origin)
  await director.signIn('giamdoc.thanhhoa')
}, 120_000)

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('the director’s home page', () => {
  it('shows no rollout while the facility is in no adopted wave', async () => {
    const response = await director.request('/')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('Trang chủ')
    expect(rolloutSection(html)).toBeNull()
  })

  it('shows the milestones with their decisions, the next step and the link once it is', async () => {
    const params = parseWaveParams(new URLSearchParams('capacity=5'), 'vi')
    if (!params.success) throw new Error('bad params')
    const built = await buildWave(db, { kind: 'all' }, params.data, todayInVietnam())
    if (!('plan' in built)) throw new Error('no round')
    const runId = await saveRun(db, {
      name: 'Lần chạy trang chủ',
      plan: built.plan,
      scoringModelId: built.plan.model.rowId,
      userId: boyteId,
      now: new Date().toISOString(),
    })
    // Adopted 1/1/2026 with target 1/7/2026: the contract is due 21/2/2026.
    const waveId = await insertWave(db, {
      runId,
      name: 'Đợt trang chủ',
      targetGoLive: '2026-07-01',
      budgetVnd: 1_000_000_000,
      adoptedBy: boyteId,
      adoptedAt: '2026-01-01T03:00:00.000Z',
    })
    await insertWaveMembers(db, waveId, [{ facilityId, costVnd: 1_000_000_000 }])
    await milestone('plan_approved', '2026-01-10', { status: 'confirmed', comment: null })
    await milestone('contract_signed', '2026-02-01', {
      status: 'returned',
      comment: 'Thiếu bản hợp đồng đã ký',
    })
    await milestone('infrastructure_ready', '2026-02-15', null)

    const html = rolloutSection(await (await director.request('/')).text())
    expect(html).not.toBeNull()
    expect(html).toContain('Thuộc Đợt trang chủ, vận hành mục tiêu 01/07/2026.')
    // The returned contract no longer stands: it is the next step, past its date.
    expect(html).toContain('Bước tiếp theo: Ký hợp đồng, đã quá hạn dự kiến 21/02/2026.')
    expect(html).toContain('Đã xác nhận')
    expect(html).toContain('Bị trả lại')
    expect(html).toContain('Thiếu bản hợp đồng đã ký')
    expect(html).toContain('Chờ xác nhận')
    expect(html).toContain('href="/rollout/facility"')
  })
})

/**
 * "Did readiness predict go-live?" on the national progress page: a wave
 * past its target whose members went live or not, read back by the level
 * and domain scores its run recorded, with n in every cell and the caveat.
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
import type { WaveRow } from '../../app/waves/wave-rows.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let ministry: TestClient
let members: WaveRow[]

beforeAll(async () => {
  const boyte = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'boyte')
    .executeTakeFirstOrThrow()
  const params = parseWaveParams(new URLSearchParams('capacity=5'), 'vi')
  if (!params.success) throw new Error('bad params')
  const built = await buildWave(db, { kind: 'all' }, params.data, todayInVietnam())
  if (!('plan' in built)) throw new Error('no round')
  const runId = await saveRun(db, {
    name: 'Lần chạy đã có kết quả',
    plan: built.plan,
    scoringModelId: built.plan.model.rowId,
    userId: boyte.id,
    now: new Date().toISOString(),
  })
  members = built.plan.rows.filter((r) => r.selected)
  expect(members).toHaveLength(5)
  // Adopted 1/1/2026, target 30/6/2026: past, so its outcomes are due.
  const waveId = await insertWave(db, {
    runId,
    name: 'Đợt đã qua hạn',
    targetGoLive: '2026-06-30',
    budgetVnd: 50_000_000_000,
    adoptedBy: boyte.id,
    adoptedAt: '2026-01-01T03:00:00.000Z',
  })
  await insertWaveMembers(
    db,
    waveId,
    members.map((m) => ({ facilityId: m.facilityId, costVnd: m.costVnd })),
  )
  const confirmed = async (facilityId: number, kind: MilestoneKind, occurredOn: string) => {
    const id = await insertMilestone(db, {
      facilityId,
      kind,
      occurredOn,
      note: '',
      evidenceRef: null,
      proposedBy: boyte.id,
      proposedAt: `${occurredOn}T02:00:00.000Z`,
    })
    await reviewMilestone(db, {
      id,
      status: 'confirmed',
      reviewedBy: boyte.id,
      reviewedAt: `${occurredOn}T09:00:00.000Z`,
      comment: null,
    })
  }
  // The first two went live 60 and 100 days after the adoption; the others did not.
  const [first, second] = members
  if (!first || !second) throw new Error('no members')
  await confirmed(first.facilityId, 'pilot_live', '2026-02-01')
  await confirmed(first.facilityId, 'full_live', '2026-03-02')
  await confirmed(second.facilityId, 'pilot_live', '2026-03-01')
  await confirmed(second.facilityId, 'full_live', '2026-04-11')
  // A wave whose target is ahead has no outcome yet: its members are left out (one wave counted).
  const laterRun = await saveRun(db, {
    name: 'Lần chạy chưa tới hạn',
    plan: built.plan,
    scoringModelId: built.plan.model.rowId,
    userId: boyte.id,
    now: new Date().toISOString(),
  })
  const laterWave = await insertWave(db, {
    runId: laterRun,
    name: 'Đợt chưa tới hạn',
    targetGoLive: '2099-12-31',
    budgetVnd: 50_000_000_000,
    adoptedBy: boyte.id,
    adoptedAt: '2026-02-01T03:00:00.000Z',
  })
  await insertWaveMembers(
    db,
    laterWave,
    members.map((m) => ({ facilityId: m.facilityId, costVnd: m.costVnd })),
  )
  server = await startTestServer()
  ministry = new TestClient(server.origin)
  await ministry.signIn('boyte')
}, 120_000)

afterAll(async () => {
  await server.close()
  await db.destroy()
})

/** The text of an HTML fragment: tags dropped, spaces collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

function fragment(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`)
  expect(start, testId).toBeGreaterThan(-1)
  return html.slice(start, html.indexOf('</table>', start))
}

describe('did readiness predict go-live?', () => {
  it('shows the rate, median time and n overall and by level, with the small-sample caveat', async () => {
    const response = await ministry.request('/rollout')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('Mức sẵn sàng có dự báo được việc vận hành không?')
    // 2 of 5 live, after 60 and 100 days: median 80.
    expect(text(html)).toContain('1 đợt, tổng cộng: 40% đã vận hành (2/5) · trung vị 80 ngày')
    expect(html).toContain('data-testid="prediction-caveat"')
    // By level, computed here from the run's own rows.
    const levels = text(fragment(html, 'prediction-levels'))
    const byLevel = new Map<string, WaveRow[]>()
    for (const m of members) byLevel.set(m.level, [...(byLevel.get(m.level) ?? []), m])
    const liveIds = new Set(members.slice(0, 2).map((m) => m.facilityId))
    for (const [level, rows] of byLevel) {
      const live = rows.filter((r) => liveIds.has(r.facilityId)).length
      const rate = Math.round((100 * live) / rows.length)
      expect(levels).toContain(
        `${level} ${rows.length} ${rate}% đã vận hành (${live}/${rows.length})`,
      )
    }
  })

  it('shows each domain’s bands with their n', async () => {
    const html = await (await ministry.request('/rollout')).text()
    const domains = text(fragment(html, 'prediction-domains'))
    const first = members[0]
    if (!first) throw new Error('no members')
    const [domainId] = Object.keys(first.domains)
    if (domainId === undefined) throw new Error('no domains')
    const bandOf = (s: number) => (s * 100 < 50 ? 0 : s * 100 < 70 ? 1 : 2)
    const counts = [0, 1, 2].map(
      (band) => members.filter((m) => bandOf(m.domains[domainId] ?? 0) === band).length,
    )
    const cells = counts.map((n) => (n === 0 ? 'không có cơ sở (n = 0)' : `/${n})`))
    for (const cell of cells) expect(domains).toContain(cell)
    expect(domains).toContain('Dưới 50')
    expect(domains).toContain('Từ 70')
  })
})

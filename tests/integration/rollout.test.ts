/**
 * The rollout's modules against a real database: adopting a run, the order
 * and date rules of proposals, confirmation in scope, `emr_status` derived
 * from confirmed steps, the planner's "already live" exclusion following it,
 * and the triggers that keep adopted runs and reviewed steps as they were.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MilestoneKind } from '../../db/schema.ts'
import { adoptRun } from '../../app/rollout/waves.server.ts'
import { decideMilestone, proposeMilestone } from '../../app/rollout/milestones.server.ts'
import type { SessionUser } from '../../app/utils/auth.server.ts'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { buildWave } from '../../app/waves/planner.server.ts'
import { parseWaveParams } from '../../app/waves/wave-params.server.ts'
import { saveRun } from '../../app/waves/runs.server.ts'

const { db } = openTestDatabase()
const meta = { clientIp: '127.0.0.1', requestId: 'rollout-test' }
const TODAY = todayInVietnam()

let ministry: SessionUser
let director: SessionUser
let province: SessionUser
let otherProvince: SessionUser
let runId: number
let facility: { id: number; code: string; province_code: string }

async function userOf(login: string, facilityId?: number): Promise<SessionUser> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'login', 'display_name', 'role', 'facility_id', 'province_code'])
    .where('login', '=', login)
    .executeTakeFirstOrThrow()
  return {
    id: u.id,
    login: u.login,
    displayName: u.display_name,
    role: u.role,
    facilityId: facilityId ?? u.facility_id,
    provinceCode: u.province_code,
    sessionIdHash: 'test',
  }
}

async function plan() {
  const params = parseWaveParams(new URLSearchParams('capacity=20'), 'vi')
  if (!params.success) throw new Error('bad params')
  const built = await buildWave(db, { kind: 'all' }, params.data, TODAY)
  if (!('plan' in built)) throw new Error('no round')
  return built.plan
}

const propose = (kind: MilestoneKind, occurredOn = TODAY) =>
  proposeMilestone(
    db,
    director,
    facility.id,
    { kind, occurredOn, note: 'Biên bản', evidenceRef: null },
    TODAY,
    meta,
  )

async function latestId(kind: MilestoneKind): Promise<number> {
  const row = await db
    .selectFrom('milestones')
    .select('id')
    .where('facility_id', '=', facility.id)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return row.id
}

const decide = (
  user: SessionUser,
  milestoneId: number,
  decision: 'confirm' | 'return',
  comment = '',
) => decideMilestone(db, user, { milestoneId, decision, comment }, meta)

const emrStatus = async () =>
  (
    await db
      .selectFrom('facilities')
      .select('emr_status')
      .where('id', '=', facility.id)
      .executeTakeFirstOrThrow()
  ).emr_status

beforeAll(async () => {
  ministry = await userOf('boyte')
  const built = await plan()
  runId = await saveRun(db, {
    name: 'Đợt 1',
    plan: built,
    scoringModelId: built.model.rowId,
    userId: ministry.id,
    now: new Date().toISOString(),
  })
  const first = built.rows.find((r) => r.selected)
  if (!first) throw new Error('nothing selected')
  facility = await db
    .selectFrom('facilities')
    .select(['id', 'code', 'province_code'])
    .where('id', '=', first.facilityId)
    .executeTakeFirstOrThrow()
  director = await userOf('giamdoc.thanhhoa', facility.id)
  const reviewer = await userOf('soyte.thanhhoa')
  province = { ...reviewer, provinceCode: facility.province_code }
  otherProvince = { ...reviewer, provinceCode: facility.province_code === '04' ? '38' : '04' }
})

afterAll(async () => {
  await db.destroy()
})

describe('rollout', () => {
  it('refuses proposals from a facility in no wave', async () => {
    expect(await propose('plan_approved')).toEqual({ kind: 'not_in_wave' })
  })

  it('adopts a saved run once, with its selected facilities and their costs, and audits it', async () => {
    const result = await adoptRun(
      db,
      ministry,
      { runId, name: 'Đợt 1/2026', targetGoLive: '2027-06-30', budgetBn: 200 },
      meta,
    )
    expect(result).toMatchObject({ kind: 'adopted', facilities: 20 })
    const members = await db
      .selectFrom('wave_members')
      .select(['facility_id', 'cost_vnd'])
      .execute()
    expect(members).toHaveLength(20)
    expect(members.every((m) => m.cost_vnd === 10_000_000_000)).toBe(true)
    expect(
      await adoptRun(
        db,
        ministry,
        { runId, name: 'again', targetGoLive: '2027-06-30', budgetBn: 1 },
        meta,
      ),
    ).toEqual({
      kind: 'conflict',
    })
    const audit = await db
      .selectFrom('audit_log')
      .select('detail_json')
      .where('action', '=', 'rollout.wave.adopt')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('keeps an adopted run, its wave and members as they were', async () => {
    await expect(
      db.updateTable('ranking_runs').set({ name: 'x' }).where('id', '=', runId).execute(),
    ).rejects.toThrow(/immutable/)
    await expect(db.deleteFrom('ranking_runs').where('id', '=', runId).execute()).rejects.toThrow(
      /immutable/,
    )
    await expect(db.updateTable('waves').set({ budget_vnd: 0 }).execute()).rejects.toThrow(/kept/)
    await expect(db.deleteFrom('wave_members').execute()).rejects.toThrow(/kept/)
  })

  it('refuses a date in the future and go-live before a pilot', async () => {
    const tomorrow = new Date(Date.parse(`${TODAY}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10)
    expect(await propose('plan_approved', tomorrow)).toEqual({
      kind: 'refused',
      problems: [{ code: 'future', today: TODAY }],
    })
    expect(await propose('full_live')).toEqual({
      kind: 'refused',
      problems: [{ code: 'prerequisiteMissing', prerequisite: 'pilot_live' }],
    })
  })

  it('derives emr_status from confirmed steps, within the province reviewer’s scope', async () => {
    expect(await propose('plan_approved', '2026-11-01')).toMatchObject({ kind: 'proposed' })
    const planId = await latestId('plan_approved')
    // The registry's status stands until a step is confirmed (the seed's may be any of the three).
    const registry = await emrStatus()
    expect(registry).not.toBe('live')
    expect(await decide(otherProvince, planId, 'confirm')).toEqual({ kind: 'not_found' })
    expect(await emrStatus()).toBe(registry)
    expect(await decide(province, planId, 'confirm')).toEqual({
      kind: 'confirmed',
      emrStatus: 'in_progress',
    })
    expect(await emrStatus()).toBe('in_progress')
    expect(await decide(province, planId, 'confirm')).toEqual({ kind: 'conflict' })
  })

  it('returns a proposal with a comment, after which the step may be proposed again', async () => {
    await propose('pilot_live', '2026-11-20')
    const pilotId = await latestId('pilot_live')
    expect(await decide(province, pilotId, 'return', 'Thiếu biên bản')).toEqual({
      kind: 'returned',
    })
    expect(await propose('pilot_live', '2026-11-21')).toMatchObject({ kind: 'proposed' })
  })

  it('confirms full go-live only after the pilot, then the facility is live and leaves the planner', async () => {
    expect(await propose('full_live', '2026-11-25')).toMatchObject({ kind: 'proposed' })
    const liveId = await latestId('full_live')
    expect(await decide(province, liveId, 'confirm')).toEqual({
      kind: 'waits_for',
      prerequisite: 'pilot_live',
    })
    expect(await decide(ministry, await latestId('pilot_live'), 'confirm')).toMatchObject({
      kind: 'confirmed',
    })
    expect(await emrStatus()).toBe('in_progress')
    const before = await plan()
    expect(before.rows.find((r) => r.facilityId === facility.id)?.exclusions ?? []).toEqual([])
    expect(await decide(province, liveId, 'confirm')).toEqual({
      kind: 'confirmed',
      emrStatus: 'live',
    })
    expect(await emrStatus()).toBe('live')
    const after = await plan()
    const row = after.rows.find((r) => r.facilityId === facility.id)
    expect(row?.selected).toBe(false)
    expect(row?.exclusions).toEqual([{ kind: 'emr_live' }])
  })

  it('keeps reviewed steps as they were', async () => {
    const liveId = await latestId('full_live')
    await expect(
      db.updateTable('milestones').set({ note: 'x' }).where('id', '=', liveId).execute(),
    ).rejects.toThrow(/review/)
    await expect(
      db
        .updateTable('milestones')
        .set({ status: 'returned', review_comment: 'x' })
        .where('id', '=', liveId)
        .execute(),
    ).rejects.toThrow(/review/)
    await expect(db.deleteFrom('milestones').execute()).rejects.toThrow(/kept/)
  })
})

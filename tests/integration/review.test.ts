/** Review actions through the real server: scope, state, reasons, audit. */
import { openTestDatabase } from '../support/test-db.ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assessmentState, submittedIn } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let thanhhoa: TestClient
let caobang: TestClient
let ministry: TestClient

async function auditFor(id: number) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'actor_id'])
    .where('entity_type', '=', 'assessment')
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute()
}

beforeAll(async () => {
  server = await startTestServer()
  thanhhoa = new TestClient(server.origin)
  await thanhhoa.signIn('soyte.thanhhoa')
  caobang = new TestClient(server.origin)
  await caobang.signIn('soyte.caobang')
  ministry = new TestClient(server.origin)
  await ministry.signIn('boyte')
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('review actions', () => {
  it('are refused outside the reviewer scope and change nothing', async () => {
    const a = await submittedIn(db, '38')
    const before = await assessmentState(db, a.id)
    for (const intent of ['verify', 'return']) {
      const r = await caobang.request(`/review/${a.id}`, {
        form: { intent, version: String(a.version), general: 'x' },
      })
      expect(r.status).toBe(404)
    }
    expect(await assessmentState(db, a.id)).toEqual(before)
    expect(await auditFor(a.id)).toEqual([])
  })

  it('refuse a return without any comment', async () => {
    const a = await submittedIn(db, '38')
    const r = await thanhhoa.request(`/review/${a.id}`, {
      form: { intent: 'return', version: String(a.version) },
    })
    expect(r.status).toBe(400)
    expect(await r.text()).toContain('Cần ít nhất một nhận xét')
    expect((await assessmentState(db, a.id)).status).toBe('submitted')
  })

  it('return with comments on two questions, then the facility sees them; one audit row', async () => {
    const a = await submittedIn(db, '38')
    const r = await thanhhoa.request(`/review/${a.id}`, {
      form: {
        intent: 'return',
        version: String(a.version),
        'comment.backup_restore': 'Cần biên bản thử khôi phục.',
        'comment.it_staff_dedicated': 'Cần quyết định phân công.',
      },
    })
    expect(r.status).toBe(200)
    expect((await assessmentState(db, a.id)).status).toBe('returned')
    const comments = await db
      .selectFrom('review_comments')
      .select(['question', 'body'])
      .where('assessment_id', '=', a.id)
      .where('resolved_at', 'is', null)
      .orderBy('question')
      .execute()
    expect(comments).toEqual([
      { question: 'backup_restore', body: 'Cần biên bản thử khôi phục.' },
      { question: 'it_staff_dedicated', body: 'Cần quyết định phân công.' },
    ])
    expect((await auditFor(a.id)).map((x) => x.action)).toEqual(['assessment.return'])
    // The wrong state now: verifying a returned assessment is refused.
    const again = await thanhhoa.request(`/review/${a.id}`, {
      form: { intent: 'verify', version: String((await assessmentState(db, a.id)).version) },
    })
    expect(again.status).toBe(409)
  })

  it('verify locks, stores verified scores, and needs a reason to unlock', async () => {
    const a = await submittedIn(db, '38')
    expect(
      (
        await thanhhoa.request(`/review/${a.id}`, {
          form: { intent: 'verify', version: String(a.version) },
        })
      ).status,
    ).toBe(200)
    const after = await assessmentState(db, a.id)
    expect(after.status).toBe('verified')
    const verified = await db
      .selectFrom('scores')
      .select('basis')
      .where('assessment_id', '=', a.id)
      .where('basis', '=', 'verified')
      .execute()
    expect(verified).toHaveLength(1)
    const noReason = await ministry.request(`/review/${a.id}`, {
      form: { intent: 'unlock', version: String(after.version), reason: '  ' },
    })
    expect(noReason.status).toBe(400)
    expect((await assessmentState(db, a.id)).status).toBe('verified')
    const unlocked = await ministry.request(`/review/${a.id}`, {
      form: {
        intent: 'unlock',
        version: String(after.version),
        reason: 'Cơ sở báo số giường sai.',
      },
    })
    expect(unlocked.status).toBe(200)
    expect((await assessmentState(db, a.id)).status).toBe('returned')
    expect((await auditFor(a.id)).map((x) => x.action)).toEqual([
      'assessment.verify',
      'assessment.unlock',
    ])
  })

  it('a stale version is refused', async () => {
    const a = await submittedIn(db, '38')
    const r = await thanhhoa.request(`/review/${a.id}`, {
      form: { intent: 'verify', version: String(a.version + 1) },
    })
    expect(r.status).toBe(409)
    expect((await assessmentState(db, a.id)).status).toBe('submitted')
  })

  it('the audit log refuses edits', async () => {
    await expect(
      sql`UPDATE audit_log SET action = 'forged' WHERE action = 'assessment.verify'`.execute(db),
    ).rejects.toThrow(/append-only/)
  })

  it('directors and staff cannot review', async () => {
    const director = new TestClient(server.origin)
    await director.signIn('giamdoc.thanhhoa')
    const a = await submittedIn(db, '38')
    expect(
      (
        await director.request(`/review/${a.id}`, {
          form: { intent: 'verify', version: String(a.version) },
        })
      ).status,
    ).toBe(403)
    expect((await assessmentState(db, a.id)).status).toBe('submitted')
  })
})

describe('bulk verify', () => {
  it('verifies 200 assessments in one transaction: one bad item refuses the whole batch', async () => {
    const now = '2026-11-20T00:00:00.000Z'
    const content = await db
      .selectFrom('rounds')
      .select(['questionnaire_id', 'scoring_model_id'])
      .executeTakeFirstOrThrow()
    const round = await db
      .insertInto('rounds')
      .values({
        name: 'Đợt thử hàng loạt',
        opens_on: '2026-01-01',
        closes_on: '2026-02-01',
        ...content,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const facilities = await db
      .selectFrom('facilities')
      .select('id')
      .orderBy('id')
      .limit(200)
      .execute()
    const created = await db
      .insertInto('assessments')
      .values(
        facilities.map((f) => ({
          facility_id: f.id,
          round_id: round.id,
          status: 'submitted' as const,
          version: 2,
          answers: '{}',
          current_page: 0,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning(['id', 'version'])
      .execute()
    expect(created).toHaveLength(200)
    const items = created.map((a) => `${a.id}:${a.version}`)
    const form = () => {
      const body = new URLSearchParams({ intent: 'bulk-verify' })
      return body
    }
    // One stale item: nothing is verified.
    const stale = form()
    for (const [i, item] of items.entries())
      stale.append('item', i === 199 ? item.replace(/:2$/, ':1') : item)
    const refused = await fetch(`${server.origin}/review`, {
      method: 'POST',
      headers: {
        cookie: ministry.cookie ?? '',
        origin: server.origin,
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': '127.0.0.1',
      },
      body: stale,
      redirect: 'manual',
    })
    expect(refused.status).toBe(409)
    const ids = created.map((a) => a.id)
    const stillSubmitted = await db
      .selectFrom('assessments')
      .select('id')
      .where('id', 'in', ids)
      .where('status', '=', 'submitted')
      .execute()
    expect(stillSubmitted).toHaveLength(200)
    expect(
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'assessment.verify')
        .where('entity_id', 'in', ids.map(String))
        .execute(),
    ).toEqual([])

    const good = form()
    for (const item of items) good.append('item', item)
    const ok = await fetch(`${server.origin}/review`, {
      method: 'POST',
      headers: {
        cookie: ministry.cookie ?? '',
        origin: server.origin,
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': '127.0.0.1',
      },
      body: good,
      redirect: 'manual',
    })
    expect(ok.status).toBe(200)
    const verified = await db
      .selectFrom('assessments')
      .select('id')
      .where('id', 'in', ids)
      .where('status', '=', 'verified')
      .execute()
    expect(verified).toHaveLength(200)
    const audits = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'assessment.verify')
      .where('entity_id', 'in', ids.map(String))
      .execute()
    expect(audits).toHaveLength(200)
  })
})

describe('confirmation steps', () => {
  it('preview what verify and unlock would do, and write nothing', async () => {
    const a = await submittedIn(db, '38')
    const before = await assessmentState(db, a.id)
    const preview = await thanhhoa.request(`/review/${a.id}`, {
      form: { intent: 'preview-verify', version: String(a.version) },
    })
    expect(preview.status).toBe(200)
    expect(await preview.text()).toContain('Điểm sẽ được ghi')
    expect(await assessmentState(db, a.id)).toEqual(before)
    expect(await auditFor(a.id)).toEqual([])
    // Outside the scope it does not exist; a stale version is refused.
    const outside = await caobang.request(`/review/${a.id}`, {
      form: { intent: 'preview-verify', version: String(a.version) },
    })
    expect(outside.status).toBe(404)
    const stale = await thanhhoa.request(`/review/${a.id}`, {
      form: { intent: 'preview-verify', version: String(a.version + 1) },
    })
    expect(stale.status).toBe(409)
    // Unlocking a submitted (not verified) assessment is the wrong state, even to preview.
    const unlock = await thanhhoa.request(`/review/${a.id}`, {
      form: { intent: 'preview-unlock', version: String(a.version), reason: 'Sửa số giường.' },
    })
    expect(unlock.status).toBe(409)
    expect(await assessmentState(db, a.id)).toEqual(before)
  })

  it('bulk: a preview of every matching submission stays in the scope and writes nothing', async () => {
    const verifiedBefore = await db
      .selectFrom('assessments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'verified')
      .executeTakeFirstOrThrow()
    // Another province's code in the filters matches nothing for a province reviewer.
    const outside = await caobang.request('/review?index', {
      form: { intent: 'preview-bulk-verify', all: '1', filters: 'province=38' },
    })
    expect(outside.status).toBe(400)
    expect(await outside.text()).toContain('Hãy chọn ít nhất một bản.')
    const page = await caobang.request('/review?province=38')
    expect(await page.text()).toContain('Số bản khớp bộ lọc: 0')
    const inside = await caobang.request('/review?index', {
      form: { intent: 'preview-bulk-verify', all: '1', filters: 'tier=provincial' },
    })
    expect(inside.status).toBe(200)
    const html = await inside.text()
    expect(html).toContain('Điểm sẽ được ghi')
    expect(html).toContain('Bệnh viện Tâm thần tỉnh Cao Bằng')
    expect(html).not.toContain('Thanh Hoá')
    const verifiedAfter = await db
      .selectFrom('assessments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'verified')
      .executeTakeFirstOrThrow()
    expect(verifiedAfter.n).toBe(verifiedBefore.n)
  })
})

/**
 * The director's journey through the real server: autosave with optimistic
 * concurrency and the merge of disjoint changes, tampered payloads, the
 * director's sign-off (staff refused, the password again, the receipt),
 * idempotent submit, evidence, scoping.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { auditCount } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let roundId: number
let facilityId: number
const director = () => new TestClient(server.origin)
let a: TestClient // giamdoc.thanhhoa
let b: TestClient // nhanvien.thanhhoa, same facility

const sample = JSON.parse(
  readFileSync('db/content/samples/provincial-middle.json', 'utf8'),
) as Record<string, unknown>

async function assessmentRow() {
  return db
    .selectFrom('assessments')
    .select(['id', 'status', 'version', 'answers', 'submission_id'])
    .where('facility_id', '=', facilityId)
    .where('round_id', '=', roundId)
    .executeTakeFirst()
}

/** Canonical JSON written out here, so the receipt's hash is checked against its definition. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  const keys = Object.keys(value).sort()
  const record = value as Record<string, unknown>
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`
}

async function failedSignIns(login: string) {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('login', '=', login)
    .where('succeeded', '=', 0)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

beforeAll(async () => {
  server = await startTestServer()
  const round = await db
    .selectFrom('rounds')
    .select('id')
    .orderBy('opens_on', 'desc')
    .executeTakeFirstOrThrow()
  roundId = round.id
  facilityId = (
    await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', '38001')
      .executeTakeFirstOrThrow()
  ).id
  a = director()
  await a.signIn('giamdoc.thanhhoa')
  b = director()
  await b.signIn('nhanvien.thanhhoa')
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('autosave', () => {
  it('creates the assessment on the first save, records who changed what, scores it, audits it', async () => {
    expect(await assessmentRow()).toBeUndefined()
    const first = Object.keys(sample).slice(0, 5)
    const changes = Object.fromEntries(first.map((k) => [k, sample[k]]))
    const r = await a.request('/assessment/save', {
      json: { roundId, baseVersion: 0, changes, currentPage: 1 },
    })
    expect(r.status).toBe(200)
    const body = (await r.json()) as { version: number }
    expect(body.version).toBe(2)
    const row = await assessmentRow()
    expect(row?.status).toBe('draft')
    expect(JSON.parse(row?.answers ?? '{}')).toEqual(changes)
    const changed = await db
      .selectFrom('assessment_changes')
      .select(['question', 'user_id', 'version'])
      .where('assessment_id', '=', row?.id ?? 0)
      .execute()
    expect(changed.map((c) => c.question).sort()).toEqual([...first].sort())
    expect(new Set(changed.map((c) => c.version))).toEqual(new Set([2]))
    // A draft's score is stored just after its save commits (app/assessment/draft-score.server.ts):
    // wait for it rather than race it.
    const scores = () =>
      db
        .selectFrom('scores')
        .select(['basis', 'composite_bp'])
        .where('assessment_id', '=', row?.id ?? 0)
        .execute()
    await expect.poll(async () => (await scores()).length).toBe(1)
    expect((await scores())[0]?.basis).toBe('declared')
    expect(await auditCount(db, 'assessment.save', facilityId)).toBe(1)
  })

  it('lets a colleague continue from the current version, and refuses a stale one with what changed', async () => {
    const row = await assessmentRow()
    const keys = Object.keys(sample).slice(5, 8)
    const ok = await b.request('/assessment/save', {
      json: {
        roundId,
        baseVersion: row?.version,
        changes: Object.fromEntries(keys.map((k) => [k, sample[k]])),
        currentPage: 2,
      },
    })
    expect(ok.status).toBe(200)
    // Director A still holds version 2.
    const stale = await a.request('/assessment/save', {
      json: {
        roundId,
        baseVersion: 2,
        // The same question as B, another answer: a real conflict.
        changes: { [keys[0] ?? '']: 'Văn bản khác' },
        currentPage: 2,
      },
    })
    expect(stale.status).toBe(409)
    const body = (await stale.json()) as {
      kind: string
      version: number
      changes: Array<{ question: string; by: string }>
    }
    expect(body.kind).toBe('conflict')
    expect(body.version).toBe(3)
    expect(body.changes.map((c) => c.question).sort()).toEqual([...keys].sort())
    expect(body.changes[0]?.by).toBe('KS. Trần Thị Mai')
    expect((await assessmentRow())?.version).toBe(3)
  })

  it('moves the page without a new version', async () => {
    const r = await a.request('/assessment/save', {
      json: { roundId, baseVersion: 2, changes: {}, currentPage: 4 },
    })
    expect(r.status).toBe(200)
    const row = await db
      .selectFrom('assessments')
      .select(['version', 'current_page'])
      .where('facility_id', '=', facilityId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ version: 3, current_page: 4 })
  })

  it('merges a save built on an older version when nobody changed its questions since', async () => {
    // A still holds version 2; B's version 3 changed other questions.
    const question = Object.keys(sample)[9] ?? ''
    const r = await a.request('/assessment/save', {
      json: { roundId, baseVersion: 2, changes: { [question]: sample[question] }, currentPage: 2 },
    })
    expect(r.status).toBe(200)
    const body = (await r.json()) as {
      version: number
      merged: Array<{ question: string; by: string }>
    }
    expect(body.version).toBe(4)
    // The colleague's changes come back for the form to show, with who made them.
    expect(body.merged.map((c) => c.question).sort()).toEqual(
      Object.keys(sample).slice(5, 8).sort(),
    )
    expect(new Set(body.merged.map((c) => c.by))).toEqual(new Set(['KS. Trần Thị Mai']))
    const row = await assessmentRow()
    const answers = JSON.parse(row?.answers ?? '{}') as Record<string, unknown>
    // Both people's answers are there.
    for (const k of [...Object.keys(sample).slice(0, 8), question]) {
      expect(answers[k]).toEqual(sample[k])
    }
    const change = await db
      .selectFrom('assessment_changes')
      .select(['version', 'based_on_version'])
      .where('assessment_id', '=', row?.id ?? 0)
      .where('question', '=', question)
      .executeTakeFirstOrThrow()
    expect(change).toEqual({ version: 4, based_on_version: 2 })
    const audit = await db
      .selectFrom('audit_log')
      .select('detail_json')
      .where('action', '=', 'assessment.save')
      .where('facility_id', '=', facilityId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail_json)).toMatchObject({ mergedOnto: 3, basedOn: 2 })
  })
})

describe('tampered payloads are rejected and change nothing', () => {
  const cases: Array<[string, unknown, number, RegExp]> = [
    ['an unknown question', { changes: { invented_question: 'yes' } }, 422, /invented_question/],
    [
      'a choice not offered',
      { changes: { it_staff_dedicated: 'maybe' } },
      422,
      /it_staff_dedicated/,
    ],
    ['text in a number field', { changes: { it_staff_fte: 'three' } }, 422, /it_staff_fte/],
    ['a number as a string', { changes: { it_staff_fte: '3' } }, 422, /it_staff_fte/],
    ['a facility id', { facilityId: 1, changes: {} }, 400, /facilityId/],
    ['a status field', { status: 'verified', changes: {} }, 400, /status/],
    ['a score field', { changes: {}, compositeBp: 10000 }, 400, /compositeBp/],
    ['a bad question name', { changes: { 'Robert"); DROP': 1 } }, 400, /changes/],
  ]
  for (const [name, patch, status, message] of cases) {
    it(name, async () => {
      const before = await assessmentRow()
      const r = await a.request('/assessment/save', {
        json: { roundId, baseVersion: before?.version, currentPage: 0, ...(patch as object) },
      })
      expect(r.status).toBe(status)
      expect(await r.text()).toMatch(message)
      expect(await assessmentRow()).toEqual(before)
    })
  }

  it('refuses a body that is not JSON', async () => {
    const r = await a.request('/assessment/save', { form: { roundId: String(roundId) } })
    expect(r.status).toBe(400)
  })
})

describe('evidence', () => {
  const pdf = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'))
  let evidenceId = 0

  it('stores a PDF outside the database with its checksum and audits it', async () => {
    const form = new FormData()
    form.set('roundId', String(roundId))
    form.set('question', 'it_staff_dedicated')
    form.set('file', new File([pdf], 'Quyết định 12-QĐ.pdf', { type: 'application/pdf' }))
    const r = await a.request('/assessment/evidence', { body: form })
    expect(r.status).toBe(200)
    const body = (await r.json()) as { id: number; sha256: string; fileName: string }
    evidenceId = body.id
    expect(body.fileName).toBe('Quyết định 12-QĐ.pdf')
    expect(await auditCount(db, 'evidence.upload', facilityId)).toBe(1)
    const open = await a.request(`/evidence/${evidenceId}`)
    expect(open.status).toBe(200)
    expect(open.headers.get('content-type')).toBe('application/pdf')
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(pdf)
  })

  it('refuses a file that is not a PDF or an image, whatever its name says', async () => {
    const form = new FormData()
    form.set('roundId', String(roundId))
    form.set('question', 'it_staff_dedicated')
    form.set(
      'file',
      new File([new Uint8Array([0x4d, 0x5a, 0x90, 0])], 'scan.pdf', { type: 'application/pdf' }),
    )
    const r = await a.request('/assessment/evidence', { body: form })
    expect(r.status).toBe(422)
    expect(await r.text()).toMatch(/PDF, PNG/)
  })

  it('refuses a question that takes no evidence', async () => {
    const form = new FormData()
    form.set('roundId', String(roundId))
    form.set('question', 'it_staff_fte')
    form.set('file', new File([pdf], 'a.pdf'))
    expect((await a.request('/assessment/evidence', { body: form })).status).toBe(422)
  })

  it('opens for the province reviewer and the ministry, not for another province or facility', async () => {
    const as = async (login: string) => {
      const c = director()
      await c.signIn(login)
      return (await c.request(`/evidence/${evidenceId}`)).status
    }
    expect(await as('soyte.thanhhoa')).toBe(200)
    expect(await as('boyte')).toBe(200)
    expect(await as('soyte.caobang')).toBe(404)
    expect(await as('giamdoc.caobang')).toBe(404)
  })
})

describe('submit', () => {
  it('names the questions still missing', async () => {
    const row = await assessmentRow()
    const r = await a.request('/assessment/submit', {
      json: {
        roundId,
        version: row?.version,
        submissionId: crypto.randomUUID(),
        password: DEMO_PASSWORD,
      },
    })
    expect(r.status).toBe(422)
    const body = (await r.json()) as { errors: Array<{ question: string }> }
    expect(body.errors.length).toBeGreaterThan(10)
    expect((await assessmentRow())?.status).toBe('draft')
  })

  it('previews the score the server will record; staff prepare, the director signs off', async () => {
    const row = await assessmentRow()
    const current = JSON.parse(row?.answers ?? '{}') as Record<string, unknown>
    const changes = Object.fromEntries(
      Object.entries(sample).filter(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v)),
    )
    const saved = await a.request('/assessment/save', {
      json: { roundId, baseVersion: row?.version, changes, currentPage: 6 },
    })
    expect(saved.status).toBe(200)
    const version = ((await saved.json()) as { version: number }).version
    const preview = (await (await a.request(`/assessment/preview?roundId=${roundId}`)).json()) as {
      kind: string
      version: number
      compositeBp: number
      canSubmit: boolean
      levelTitle: { vi: string }
    }
    expect(preview).toMatchObject({ kind: 'ready', version, canSubmit: true })
    expect(preview.levelTitle.vi.length).toBeGreaterThan(0)
    const staff = (await (await b.request(`/assessment/preview?roundId=${roundId}`)).json()) as {
      canSubmit: boolean
      compositeBp: number
    }
    expect(staff).toMatchObject({ canSubmit: false, compositeBp: preview.compositeBp })
    // Staff may not submit, even with their own password.
    const refused = await b.request('/assessment/submit', {
      json: { roundId, version, submissionId: crypto.randomUUID(), password: DEMO_PASSWORD },
    })
    expect(refused.status).toBe(403)
    expect((await assessmentRow())?.status).toBe('draft')
    expect(await auditCount(db, 'assessment.submit', facilityId)).toBe(0)
  })

  it('refuses a wrong password, counted as a failed sign-in and audited', async () => {
    const before = await failedSignIns('giamdoc.thanhhoa')
    const row = await assessmentRow()
    const r = await a.request('/assessment/submit', {
      json: {
        roundId,
        version: row?.version,
        submissionId: crypto.randomUUID(),
        password: 'not the password',
      },
    })
    expect(r.status).toBe(403)
    const body = (await r.json()) as { error: { code: string; message: string } }
    expect(body.error.message).toMatch(/mật khẩu/i)
    expect(await failedSignIns('giamdoc.thanhhoa')).toBe(before + 1)
    const audit = await db
      .selectFrom('audit_log')
      .select('detail_json')
      .where('action', '=', 'assessment.sign_refused')
      .execute()
    expect(audit.map((x) => JSON.parse(x.detail_json) as { reason: string })).toEqual([
      expect.objectContaining({ reason: 'wrong_password' }),
    ])
    expect(await assessmentRow()).toEqual(row)
  })

  it('submits once with the password: a double submit creates one submission and one receipt', async () => {
    const version = (await assessmentRow())?.version
    const submissionId = crypto.randomUUID()
    const json = { roundId, version, submissionId, password: DEMO_PASSWORD }
    const [first, second] = await Promise.all([
      a.request('/assessment/submit', { json }),
      a.request('/assessment/submit', { json }),
    ])
    type Receipt = { submittedAt: string; version: number; answersSha256: string }
    const bodies = [
      (await first.json()) as { repeated: boolean; receipt: Receipt },
      (await second.json()) as { repeated: boolean; receipt: Receipt },
    ]
    expect([first.status, second.status]).toEqual([200, 200])
    expect(bodies.map((x) => x.repeated).sort()).toEqual([false, true])
    expect(bodies[1]?.receipt).toEqual(bodies[0]?.receipt)
    expect(await auditCount(db, 'assessment.submit', facilityId)).toBe(1)
    const after = await assessmentRow()
    expect(after?.status).toBe('submitted')
    expect(after?.submission_id).toBe(submissionId)
    // The receipt: the version submitted and the SHA-256 of the answers in canonical JSON.
    const receipt = bodies[0]?.receipt
    const hash = createHash('sha256')
      .update(canonical(JSON.parse(after?.answers ?? '{}')))
      .digest('hex')
    expect(receipt).toMatchObject({ version: after?.version, answersSha256: hash })
    expect(Number.isNaN(Date.parse(receipt?.submittedAt ?? ''))).toBe(false)
    // The form page shows the same receipt.
    expect(await (await a.request('/assessment.data')).text()).toContain(hash)
  })

  it('is read-only after submit', async () => {
    const row = await assessmentRow()
    const r = await b.request('/assessment/save', {
      json: {
        roundId,
        baseVersion: row?.version,
        changes: { it_staff_dedicated: 'no' },
        currentPage: 0,
      },
    })
    expect(r.status).toBe(409)
    expect(((await r.json()) as { kind: string }).kind).toBe('locked')
    expect(await assessmentRow()).toEqual(row)
  })

  it('shows the result page with the server-computed composite', async () => {
    const score = await db
      .selectFrom('scores')
      .select('composite_bp')
      .where('assessment_id', '=', (await assessmentRow())?.id ?? 0)
      .where('basis', '=', 'declared')
      .executeTakeFirstOrThrow()
    const page = await a.request('/results')
    expect(page.status).toBe(200)
    // Vietnamese decimals take a comma.
    expect(await page.text()).toContain((score.composite_bp / 100).toFixed(1).replace('.', ','))
  })
})

describe('returned assessments', () => {
  it('carry the reviewer comments to the form, for that facility only', async () => {
    const returned = director()
    await returned.signIn('giamdoc.caobang')
    const data = await (await returned.request('/assessment.data')).text()
    expect(data).toContain('Đề nghị bổ sung minh chứng')
    const other = await (await a.request('/assessment.data')).text()
    expect(other).not.toContain('Đề nghị bổ sung minh chứng')
  })
})

describe('scope', () => {
  it('never lets a director read or write another facility', async () => {
    const other = director()
    await other.signIn('giamdoc.caobang')
    const text = await (await other.request('/assessment')).text()
    expect(text).not.toContain('Bệnh viện Đa khoa tỉnh Thanh Hoá')
    const data = await (await other.request('/results.data')).text()
    expect(data).not.toContain('Thanh Hoá')
  })
})

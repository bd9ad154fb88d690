/**
 * Evidence names and the per-assessment quota through the real server: the
 * served name always ends in the sniffed type's extension and carries no
 * control or bidi character; past EVIDENCE_QUOTA an upload is refused with a
 * message and nothing is stored.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVIDENCE_QUOTA } from '../../app/assessment/evidence.server.ts'
import { getEvidenceUsage, insertEvidence } from '../../app/models/evidence.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let roundId: number
let assessmentId: number
let directorId: number
let director: TestClient

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

async function upload(name: string, replaces?: number, as = director) {
  const form = new FormData()
  form.set('roundId', String(roundId))
  form.set('question', 'it_staff_dedicated')
  form.set('file', new File([new Uint8Array(PDF)], name))
  if (replaces !== undefined) form.set('replaces', String(replaces))
  const r = await as.request('/assessment/evidence', { body: form })
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

async function storedFiles() {
  const rows = await db
    .selectFrom('evidence_files')
    .select(['id', 'file_name'])
    .where('assessment_id', '=', assessmentId)
    .execute()
  const dir = resolve(process.env.EVIDENCE_DIR ?? '', String(assessmentId))
  let files: string[] = []
  try {
    files = readdirSync(dir)
  } catch {
    files = []
  }
  return { rows: rows.length, files }
}

beforeAll(async () => {
  roundId = (
    await db.selectFrom('rounds').select('id').orderBy('opens_on', 'desc').executeTakeFirstOrThrow()
  ).id
  directorId = (
    await db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'giamdoc.thanhhoa')
      .executeTakeFirstOrThrow()
  ).id
  server = await startTestServer()
  director = new TestClient(server.origin)
  expect((await director.signIn('giamdoc.thanhhoa')).status).toBe(302)
  const saved = await director.request('/assessment/save', {
    json: { roundId, baseVersion: 0, changes: { it_staff_dedicated: 'yes' }, currentPage: 1 },
  })
  expect(saved.status).toBe(200)
  assessmentId = (
    await db
      .selectFrom('assessments')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .select('assessments.id')
      .where('facilities.code', '=', '38001')
      .where('assessments.round_id', '=', roundId)
      .executeTakeFirstOrThrow()
  ).id
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('evidence names', () => {
  it('serves a PDF uploaded as x.html as x.pdf', async () => {
    const r = await upload('x.html')
    expect(r.status).toBe(200)
    expect(r.body.fileName).toBe('x.pdf')
    const file = await director.request(`/evidence/${String(r.body.id)}`)
    expect(file.headers.get('content-type')).toBe('application/pdf')
    expect(file.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''x.pdf")
  })

  it('strips bidi overrides and other control characters', async () => {
    const r = await upload('Biên bản\u202Efdp.exe')
    expect(r.body.fileName).toBe('Biên bảnfdp.pdf')
    const file = await director.request(`/evidence/${String(r.body.id)}`)
    expect(decodeURIComponent(file.headers.get('content-disposition') ?? '')).toBe(
      "inline; filename*=UTF-8''Biên bảnfdp.pdf",
    )
  })

  it('cleans a name stored before these rules on the way out', async () => {
    // The bytes of an earlier upload, so the checksum check on read passes.
    const earlier = await db
      .selectFrom('evidence_files')
      .select(['sha256', 'storage_path'])
      .where('assessment_id', '=', assessmentId)
      .where('file_name', '=', 'x.pdf')
      .executeTakeFirstOrThrow()
    const id = await insertEvidence(db, {
      assessment_id: assessmentId,
      question: 'it_staff_dedicated',
      file_name: 'cũ\u202Elmth.pdf.html',
      mime_type: 'application/pdf',
      size_bytes: PDF.byteLength,
      ...earlier,
      uploaded_by: directorId,
      uploaded_at: '2026-11-01T00:00:00.000Z',
    })
    const file = await director.request(`/evidence/${id}`)
    expect(file.status).toBe(200)
    expect(decodeURIComponent(file.headers.get('content-disposition') ?? '')).toBe(
      "inline; filename*=UTF-8''cũlmth.pdf.pdf",
    )
  })
})

async function remove(evidenceId: number, as = director) {
  const r = await as.request('/assessment/evidence/remove', { json: { roundId, evidenceId } })
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

async function auditRows(action: string) {
  return db
    .selectFrom('audit_log')
    .select(['entity_id', 'detail_json'])
    .where('action', '=', action)
    .orderBy('id')
    .execute()
}

describe('removing and replacing evidence before submit', () => {
  it('removes a file: no longer served or counted, audited, and only once', async () => {
    const r = await upload('to remove.pdf')
    const id = Number(r.body.id)
    const before = await getEvidenceUsage(db, assessmentId)
    const removed = await remove(id)
    expect(removed).toEqual({ status: 200, body: { kind: 'removed', id } })
    expect((await director.request(`/evidence/${id}`)).status).toBe(404)
    expect(await getEvidenceUsage(db, assessmentId)).toEqual({
      files: before.files - 1,
      bytes: before.bytes - PDF.byteLength,
    })
    const audit = (await auditRows('evidence.remove')).filter((a) => a.entity_id === String(id))
    expect(audit).toHaveLength(1)
    expect((await remove(id)).status).toBe(404)
    expect(await auditRows('evidence.remove')).toHaveLength(1)
  })

  it("never removes another facility's file", async () => {
    const id = Number((await upload('kept.pdf')).body.id)
    const other = new TestClient(server.origin)
    expect((await other.signIn('giamdoc.caobang')).status).toBe(302)
    expect((await remove(id, other)).status).toBe(404)
    expect((await director.request(`/evidence/${id}`)).status).toBe(200)
  })

  it('replaces a file: the new one is served, the old one is gone, its place freed', async () => {
    const old = Number((await upload('draft scan.pdf')).body.id)
    const before = await getEvidenceUsage(db, assessmentId)
    const r = await upload('signed scan.pdf', old)
    expect(r.status).toBe(200)
    const id = Number(r.body.id)
    expect(id).not.toBe(old)
    expect((await director.request(`/evidence/${old}`)).status).toBe(404)
    expect((await director.request(`/evidence/${id}`)).status).toBe(200)
    expect(await getEvidenceUsage(db, assessmentId)).toEqual(before)
    const audit = await auditRows('evidence.replace')
    expect(JSON.parse(audit.at(-1)?.detail_json ?? '{}')).toMatchObject({ replaced: old })
    // A removed file cannot be replaced again.
    expect((await upload('again.pdf', old)).status).not.toBe(200)
  })
})

describe('the evidence quota of an assessment', () => {
  /** Rows that take up quota (their bytes are not on disk; the quota counts rows). */
  async function fill(count: number, sizeBytes: number) {
    for (let i = 0; i < count; i++) {
      await insertEvidence(db, {
        assessment_id: assessmentId,
        question: 'backup_restore',
        file_name: `scan-${i}.pdf`,
        mime_type: 'application/pdf',
        size_bytes: sizeBytes,
        sha256: String(i).padStart(64, 'f'),
        storage_path: join('/nonexistent', String(i)),
        uploaded_by: directorId,
        uploaded_at: '2026-11-02T00:00:00.000Z',
      })
    }
  }

  it('refuses a file past the total size with 413 and stores nothing', async () => {
    // One byte short of room for another copy of the PDF.
    const used = await getEvidenceUsage(db, assessmentId)
    await fill(1, EVIDENCE_QUOTA.bytes - used.bytes - PDF.byteLength + 1)
    const before = await storedFiles()
    const r = await upload('one more.pdf')
    expect(r.status).toBe(413)
    expect(r.body).toMatchObject({ kind: 'quota', limit: 'bytes' })
    expect((r.body.message as { vi: string }).vi).toMatch(/tối đa 100 MB/)
    expect(await storedFiles()).toEqual(before)
  })

  it('refuses a file past the file count with 422 and stores nothing', async () => {
    // Removed files take no place: the live ones count.
    await fill(EVIDENCE_QUOTA.files - (await getEvidenceUsage(db, assessmentId)).files, 1)
    const before = await storedFiles()
    const r = await upload('one more.pdf')
    expect(r.status).toBe(422)
    expect(r.body).toMatchObject({ kind: 'quota', limit: 'files' })
    expect((r.body.message as { en: string }).en).toContain(
      `${EVIDENCE_QUOTA.files} evidence files`,
    )
    expect(await storedFiles()).toEqual(before)
  })
})

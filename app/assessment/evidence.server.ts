/**
 * Evidence uploads: PDF or image, at most 10 MiB, type decided by the file's
 * own bytes (never by its name or the browser's claim), stored outside the
 * database under its SHA-256, written atomically, checked again on read.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database, EvidenceFile } from '../../db/schema.ts'
import { getAssessmentForFacility } from '../models/assessment.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import { getEvidence, insertEvidence } from '../models/evidence.server.ts'
import { getFacilityDetails } from '../models/facility.server.ts'
import { getRound } from '../models/round.server.ts'
import { canAccessFacility, type SessionUser } from '../utils/auth.server.ts'
import { getEnv } from '../utils/env.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import type { RequestMeta } from './assessment.server.ts'
import { refuseOutsideWindow, type RoundNotOpen } from './round-window.server.ts'

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

type EvidenceMime = EvidenceFile['mime_type']

/** The type from the file's magic bytes, or null when it is not PDF, PNG or JPEG. */
export function sniffMimeType(bytes: Uint8Array): EvidenceMime | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b)
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf' // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg'
  return null
}

/** A safe display name: no path, no control characters, bounded length. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file'
  const cleaned = [...base.normalize('NFC')]
    .filter((c) => c !== '"' && c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
  return (cleaned || 'file').slice(0, 150)
}

export type UploadResult =
  | { kind: 'stored'; id: number; sha256: string; fileName: string; sizeBytes: number }
  | { kind: 'invalid'; message: { vi: string; en: string } }
  | { kind: 'locked' }
  | RoundNotOpen
  | { kind: 'not_found' }

export async function storeEvidence(
  db: Kysely<Database>,
  user: SessionUser,
  input: { roundId: number; question: string; fileName: string; bytes: Uint8Array },
  meta: RequestMeta,
): Promise<UploadResult> {
  if (user.facilityId === null) return { kind: 'not_found' }
  const round = await getRound(db, input.roundId)
  if (!round) return { kind: 'not_found' }
  const notOpen = refuseOutsideWindow(round, todayInVietnam())
  if (notOpen) return notOpen
  const model = await getScoringModel(db, round.scoring_model_id)
  const item = model.items.find((i) => i.id === input.question)
  if (!item?.evidenceRequired) {
    return {
      kind: 'invalid',
      message: { vi: 'Câu hỏi này không nhận minh chứng.', en: 'This question takes no evidence.' },
    }
  }
  if (input.bytes.byteLength === 0 || input.bytes.byteLength > MAX_EVIDENCE_BYTES) {
    return {
      kind: 'invalid',
      message: {
        vi: 'Tệp phải có dung lượng từ 1 byte đến 10 MB.',
        en: 'The file must be between 1 byte and 10 MB.',
      },
    }
  }
  const mime = sniffMimeType(input.bytes)
  if (!mime) {
    return {
      kind: 'invalid',
      message: {
        vi: 'Chỉ nhận tệp PDF, PNG hoặc JPEG.',
        en: 'Only PDF, PNG or JPEG files are accepted.',
      },
    }
  }
  const assessment = await getAssessmentForFacility(db, user.facilityId, round.id)
  if (!assessment) {
    return {
      kind: 'invalid',
      message: {
        vi: 'Hãy trả lời ít nhất một câu trước khi tải minh chứng.',
        en: 'Answer a question before uploading evidence.',
      },
    }
  }
  if (assessment.status === 'submitted' || assessment.status === 'verified')
    return { kind: 'locked' }

  const sha256 = createHash('sha256').update(input.bytes).digest('hex')
  const dir = resolve(getEnv().EVIDENCE_DIR, String(assessment.id))
  mkdirSync(dir, { recursive: true })
  const storagePath = join(
    dir,
    `${sha256}.${mime === 'application/pdf' ? 'pdf' : mime === 'image/png' ? 'png' : 'jpg'}`,
  )
  // Write then rename: a crash never leaves a half-written file under the final name.
  const temp = `${storagePath}.${randomUUID()}.tmp`
  writeFileSync(temp, input.bytes, { flush: true })
  renameSync(temp, storagePath)

  const now = nowIso()
  const fileName = cleanFileName(input.fileName)
  const id = await insertEvidence(db, {
    assessment_id: assessment.id,
    question: item.id,
    file_name: fileName,
    mime_type: mime,
    size_bytes: input.bytes.byteLength,
    sha256,
    storage_path: storagePath,
    uploaded_by: user.id,
    uploaded_at: now,
  })
  await writeAudit(db, {
    at: now,
    actorId: user.id,
    action: 'evidence.upload',
    entityType: 'evidence_file',
    entityId: id,
    facilityId: user.facilityId,
    detail: {
      assessmentId: assessment.id,
      question: item.id,
      fileName,
      sha256,
      sizeBytes: input.bytes.byteLength,
    },
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
  return { kind: 'stored', id, sha256, fileName, sizeBytes: input.bytes.byteLength }
}

export type ReadResult =
  | { kind: 'file'; bytes: Buffer; mimeType: string; fileName: string }
  | { kind: 'not_found' }
  | { kind: 'corrupt' }

/** Reads an evidence file for a user in scope; 404 for anyone else (ids cannot be probed). */
export async function readEvidence(
  db: Kysely<Database>,
  user: SessionUser,
  id: number,
): Promise<ReadResult> {
  const row = await getEvidence(db, id)
  if (!row || row.removed_at !== null) return { kind: 'not_found' }
  const facility = await getFacilityDetails(db, row.facility_id)
  if (!facility || !canAccessFacility(user, facility)) return { kind: 'not_found' }
  const bytes = readFileSync(row.storage_path)
  if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) return { kind: 'corrupt' }
  return { kind: 'file', bytes, mimeType: row.mime_type, fileName: row.file_name }
}

/**
 * Evidence uploads: PDF or image, at most 10 MiB, type decided by the file's
 * own bytes (never by its name or the browser's claim), stored outside the
 * database under its SHA-256, written atomically, checked again on read.
 * Each assessment holds at most EVIDENCE_QUOTA; names are cleaned of control
 * and bidi characters and always end in the extension of the sniffed type.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database, EvidenceFile } from '../../db/schema.ts'
import { getAssessmentForFacility, lockAssessment } from '../models/assessment.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import {
  getEvidence,
  getEvidenceUsage,
  insertEvidence,
  markEvidenceRemoved,
} from '../models/evidence.server.ts'
import { getFacilityDetails } from '../models/facility.server.ts'
import { getRound } from '../models/round.server.ts'
import { canAccessFacility, type SessionUser } from '../utils/auth.server.ts'
import { getEnv } from '../utils/env.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import type { RequestMeta } from './assessment.server.ts'
import { bilingual, type Bilingual } from '../utils/bilingual.server.ts'
import { refuseOutsideFacilityWindow, type RoundNotOpen } from './round-window.server.ts'

import { MIB } from '../utils/bytes.ts'
import { MAX_EVIDENCE_BYTES, sniffMimeType } from './evidence-rules.ts'

export { MAX_EVIDENCE_BYTES, sniffMimeType }

/**
 * What one assessment may hold, for all its questions together: six gate
 * items need evidence, a few scanned documents each. Only live files count:
 * a removed or replaced file frees its place. The limits bound what one
 * account can keep on the server's disk at once.
 */
export const EVIDENCE_QUOTA = { files: 30, bytes: 100 * MIB } as const

type EvidenceMime = EvidenceFile['mime_type']

/** The extension a served file carries for its sniffed type. */
const EXTENSION: Record<EvidenceMime, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
}

/** Extensions that already name the type (kept as the user wrote them). */
const ACCEPTED_EXTENSIONS: Record<EvidenceMime, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe'],
}

const MAX_NAME_LENGTH = 150

/**
 * Characters never kept in a name: controls (C0, C1), format characters
 * (bidi embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, marks,
 * zero-width characters), line and paragraph separators, and the double quote
 * of the Content-Disposition header. U+202E alone turns "exe.pdf" around.
 */
const UNSAFE_IN_NAMES = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"]/gu

/**
 * A safe name for an evidence file: no path, no control or bidi characters,
 * bounded length, and the extension of its sniffed type, so a PDF uploaded
 * as "x.html" is served as "x.pdf".
 * @example evidenceFileName('Quyết định 12.html', 'application/pdf') // "Quyết định 12.pdf"
 * @example evidenceFileName('scan\u202Egnp.pdf', 'image/png') // "scangnp.png"
 */
export function evidenceFileName(name: string, mime: EvidenceMime): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  // Trailing dots and spaces go too (Windows drops them, hiding the real extension).
  const cleaned = base
    .normalize('NFC')
    .replace(UNSAFE_IN_NAMES, '')
    .replace(/[.\s]+$/, '')
    .trim()
  const match = /^(.*)\.([A-Za-z][A-Za-z0-9]{0,4})$/.exec(cleaned)
  const written = match?.[2]
  const stem = (match ? (match[1] ?? '') : cleaned).trim() || 'file'
  const suffix =
    written && ACCEPTED_EXTENSIONS[mime].includes(written.toLowerCase()) ? written : EXTENSION[mime]
  return `${[...stem].slice(0, MAX_NAME_LENGTH - suffix.length - 1).join('')}.${suffix}`
}

export type UploadResult =
  | {
      kind: 'stored'
      id: number
      sha256: string
      fileName: string
      sizeBytes: number
      /** The file this one replaced, now removed. */
      replaced: number | null
    }
  | { kind: 'invalid'; message: Bilingual }
  /** The assessment's evidence would exceed EVIDENCE_QUOTA: 413 for bytes, 422 for files. */
  | { kind: 'quota'; limit: 'bytes' | 'files'; message: Bilingual }
  | { kind: 'locked' }
  | RoundNotOpen
  | { kind: 'not_found' }

export async function storeEvidence(
  db: Kysely<Database>,
  user: SessionUser,
  input: {
    roundId: number
    question: string
    fileName: string
    bytes: Uint8Array
    /** A live file of the same question that this one replaces. */
    replaces?: number | null
  },
  meta: RequestMeta,
): Promise<UploadResult> {
  if (user.facilityId === null) return { kind: 'not_found' }
  const round = await getRound(db, input.roundId)
  if (!round) return { kind: 'not_found' }
  const notOpen = await refuseOutsideFacilityWindow(db, round, user.facilityId, todayInVietnam())
  if (notOpen) return notOpen
  const model = await getScoringModel(db, round.scoring_model_id)
  const item = model.items.find((i) => i.id === input.question)
  if (!item?.evidenceRequired) {
    return {
      kind: 'invalid',
      message: bilingual('assessment:evidence.notTaken'),
    }
  }
  if (input.bytes.byteLength === 0 || input.bytes.byteLength > MAX_EVIDENCE_BYTES) {
    return {
      kind: 'invalid',
      message: bilingual('assessment:evidence.size'),
    }
  }
  const mime = sniffMimeType(input.bytes)
  if (!mime) {
    return {
      kind: 'invalid',
      message: bilingual('assessment:evidence.type'),
    }
  }
  const assessment = await getAssessmentForFacility(db, user.facilityId, round.id)
  if (!assessment) {
    return {
      kind: 'invalid',
      message: bilingual('assessment:evidence.answerFirst'),
    }
  }
  if (assessment.status === 'submitted' || assessment.status === 'verified')
    return { kind: 'locked' }

  const sha256 = createHash('sha256').update(input.bytes).digest('hex')
  const size = input.bytes.byteLength
  const fileName = evidenceFileName(input.fileName, mime)
  // The quota is read and the row written in one transaction, so two uploads at
  // once cannot both take the last place.
  return db.transaction().execute(async (trx) => {
    await lockAssessment(trx, assessment.facility_id, assessment.round_id)
    const replaced = input.replaces ? await getEvidence(trx, input.replaces) : null
    if (
      input.replaces &&
      (!replaced ||
        replaced.assessment_id !== assessment.id ||
        replaced.question !== item.id ||
        replaced.removed_at !== null)
    ) {
      return { kind: 'not_found' } as const
    }
    const usage = await getEvidenceUsage(trx, assessment.id)
    // The replaced file leaves as this one comes: its place counts as free.
    const over = quotaExceeded(
      replaced ? { files: usage.files - 1, bytes: usage.bytes - replaced.size_bytes } : usage,
      size,
    )
    if (over) return over

    const dir = resolve(getEnv().EVIDENCE_DIR, String(assessment.id))
    mkdirSync(dir, { recursive: true })
    const storagePath = join(dir, `${sha256}.${EXTENSION[mime]}`)
    // Write then rename: a crash never leaves a half-written file under the final name.
    const temp = `${storagePath}.${randomUUID()}.tmp`
    writeFileSync(temp, input.bytes, { flush: true })
    renameSync(temp, storagePath)

    const now = nowIso()
    const id = await insertEvidence(trx, {
      assessment_id: assessment.id,
      question: item.id,
      file_name: fileName,
      mime_type: mime,
      size_bytes: size,
      sha256,
      storage_path: storagePath,
      uploaded_by: user.id,
      uploaded_at: now,
    })
    if (replaced) {
      const removed = await markEvidenceRemoved(trx, {
        id: replaced.id,
        assessmentId: assessment.id,
        userId: user.id,
        now,
      })
      if (!removed) throw new Error('evidence changed inside the transaction')
    }
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: replaced ? 'evidence.replace' : 'evidence.upload',
      entityType: 'evidence_file',
      entityId: id,
      facilityId: assessment.facility_id,
      detail: {
        assessmentId: assessment.id,
        question: item.id,
        fileName,
        sha256,
        sizeBytes: size,
        ...(replaced ? { replaced: replaced.id, replacedFileName: replaced.file_name } : {}),
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return {
      kind: 'stored',
      id,
      sha256,
      fileName,
      sizeBytes: size,
      replaced: replaced?.id ?? null,
    } as const
  })
}

/** The refusal when one more file of `size` bytes would not fit in EVIDENCE_QUOTA. */
export function quotaExceeded(
  usage: { files: number; bytes: number },
  size: number,
): Extract<UploadResult, { kind: 'quota' }> | null {
  if (usage.files + 1 > EVIDENCE_QUOTA.files) {
    return {
      kind: 'quota',
      limit: 'files',
      message: bilingual('assessment:evidence.quotaFiles', { max: EVIDENCE_QUOTA.files }),
    }
  }
  if (usage.bytes + size > EVIDENCE_QUOTA.bytes) {
    return {
      kind: 'quota',
      limit: 'bytes',
      message: bilingual('assessment:evidence.quotaBytes', {
        max: EVIDENCE_QUOTA.bytes / MIB,
        used: Math.ceil(usage.bytes / MIB),
      }),
    }
  }
  return null
}

export type RemoveResult =
  { kind: 'removed'; id: number } | { kind: 'locked' } | RoundNotOpen | { kind: 'not_found' }

/**
 * Removes one evidence file before submit: only a file of the user's own
 * facility's assessment in this round, only while the round takes writes and
 * the assessment is editable; audited. The bytes stay on disk (the audit
 * names them by SHA-256), but the file is no longer listed, served or counted
 * in the quota.
 */
export async function removeEvidence(
  db: Kysely<Database>,
  user: SessionUser,
  input: { roundId: number; evidenceId: number },
  meta: RequestMeta,
): Promise<RemoveResult> {
  if (user.facilityId === null) return { kind: 'not_found' }
  const round = await getRound(db, input.roundId)
  if (!round) return { kind: 'not_found' }
  const notOpen = await refuseOutsideFacilityWindow(db, round, user.facilityId, todayInVietnam())
  if (notOpen) return notOpen
  const assessment = await getAssessmentForFacility(db, user.facilityId, round.id)
  if (!assessment) return { kind: 'not_found' }
  return db.transaction().execute(async (trx) => {
    await lockAssessment(trx, assessment.facility_id, assessment.round_id)
    const row = await getEvidence(trx, input.evidenceId)
    // Another facility's file, another round's, or one already removed: the same 404.
    if (!row || row.assessment_id !== assessment.id || row.removed_at !== null) {
      return { kind: 'not_found' } as const
    }
    if (assessment.status === 'submitted' || assessment.status === 'verified') {
      return { kind: 'locked' } as const
    }
    const now = nowIso()
    const removed = await markEvidenceRemoved(trx, {
      id: row.id,
      assessmentId: assessment.id,
      userId: user.id,
      now,
    })
    if (!removed) return { kind: 'not_found' } as const
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: 'evidence.remove',
      entityType: 'evidence_file',
      entityId: row.id,
      facilityId: assessment.facility_id,
      detail: {
        assessmentId: assessment.id,
        question: row.question,
        fileName: row.file_name,
        sha256: row.sha256,
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return { kind: 'removed', id: row.id } as const
  })
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
  // Cleaned again on the way out: rows stored before the name rules get them too.
  return {
    kind: 'file',
    bytes,
    mimeType: row.mime_type,
    fileName: evidenceFileName(row.file_name, row.mime_type),
  }
}

/**
 * The director's sign-off. Staff prepare the assessment; the director
 * submits it, after a confirmation that shows the score the server will
 * record (`previewSubmission`, computed here, never in the browser) and
 * with their password asked again: an e-signature in the manner of REDCap's,
 * checked like a sign-in (`confirmPassword`) and audited. The submission's
 * receipt — when, which version, and the SHA-256 of the answers in
 * canonical JSON — is written into the audit row in the same transaction and
 * read back from there for the screen and the printable copy.
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { scoreAssessment, type AssessmentScore } from '../../scoring/score.ts'
import {
  getAssessmentBySubmissionId,
  getAssessmentForFacility,
  markSubmitted,
  lockAssessment,
} from '../models/assessment.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getQuestionnaire } from '../models/content.server.ts'
import { getRoundScoring, type RoundScoring } from '../models/round-scoring.server.ts'
import { listEvidenceQuestions } from '../models/evidence.server.ts'
import { getRound } from '../models/round.server.ts'
import { upsertScore } from '../models/score.server.ts'
import { decodeAnswers, type Answers } from '../models/stored-json.server.ts'
import { getSubmissionReceipt, type SubmissionReceipt } from '../models/submission.server.ts'
import { can } from '../utils/permissions.ts'
import type { SessionUser } from '../utils/auth.server.ts'
import { confirmPassword } from '../utils/login.server.ts'
import { PASSWORD_MAX_LENGTH } from '../utils/password.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { canonicalJson } from '../waves/canonical-json.ts'
import { missingEvidence, type RequestMeta } from './assessment.server.ts'
import { refuseOutsideFacilityWindow, type RoundNotOpen } from './round-window.server.ts'
import { validateAnswers, type AnswerError } from '../questionnaire/validate.server.ts'

export type { SubmissionReceipt }

export const SubmitRequestSchema = z.strictObject({
  roundId: z.number().int().positive(),
  version: z.number().int().min(1),
  /** Generated once per submit attempt by the browser: a double submit finds it. */
  submissionId: z.uuid(),
  /** The director's password again: the e-signature. */
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
})
export type SubmitRequest = z.infer<typeof SubmitRequestSchema>

export const PreviewQuerySchema = z.object({
  roundId: z.coerce.number().int().positive(),
})

/**
 * SHA-256 of the answers in canonical JSON (keys sorted, no whitespace):
 * the same answers give the same hash whatever order they were saved in.
 * @example answersSha256({ b: 1, a: 'x' }) === answersSha256({ a: 'x', b: 1 })
 */
export function answersSha256(answers: Answers): string {
  return createHash('sha256').update(canonicalJson(answers)).digest('hex')
}

/** Everything a submission needs: required answers and evidence for every claimed gate. */
function checkSubmission(
  questionnaire: Record<string, unknown>,
  scoring: RoundScoring,
  answers: Answers,
  questionsWithFiles: Set<string>,
): { errors: AnswerError[]; score: AssessmentScore } {
  const validation = validateAnswers(questionnaire, answers, 'submit')
  const { model, gateEnabled } = scoring
  const score = scoreAssessment(model, answers, { gateEnabled })
  const errors = [
    ...validation.errors,
    ...missingEvidence(model, score, answers, questionsWithFiles),
  ]
  return { errors, score }
}

export type PreviewResult =
  | {
      kind: 'ready'
      version: number
      compositeBp: number
      /** Unrounded, as the results page formats it. */
      composite: number
      level: string
      /** The level's title, as the results page names it. */
      levelTitle: { vi: string; en: string }
      modelVersion: string
      /** May this user sign it off (the director), or only prepare it (staff)? */
      canSubmit: boolean
    }
  | { kind: 'invalid'; version: number; errors: AnswerError[] }
  | { kind: 'locked'; status: string }
  | RoundNotOpen
  | { kind: 'not_found' }

/**
 * What submitting now would record: the score, level and model version the
 * server computes from the saved answers, or the questions still missing.
 * Read-only; staff may ask it too, to see what is left.
 */
export async function previewSubmission(
  db: Kysely<Database>,
  user: SessionUser,
  roundId: number,
): Promise<PreviewResult> {
  if (user.facilityId === null) return { kind: 'not_found' }
  const round = await getRound(db, roundId)
  if (!round) return { kind: 'not_found' }
  const notOpen = await refuseOutsideFacilityWindow(db, round, user.facilityId, todayInVietnam())
  if (notOpen) return notOpen
  const assessment = await getAssessmentForFacility(db, user.facilityId, round.id)
  if (!assessment) return { kind: 'not_found' }
  if (assessment.status === 'submitted' || assessment.status === 'verified') {
    return { kind: 'locked', status: assessment.status }
  }
  const [questionnaire, scoring, files] = await Promise.all([
    getQuestionnaire(db, round.questionnaire_id),
    getRoundScoring(db, round.id),
    listEvidenceQuestions(db, assessment.id),
  ])
  const { errors, score } = checkSubmission(
    questionnaire.json,
    scoring,
    decodeAnswers(assessment.answers),
    new Set(files),
  )
  if (errors.length > 0) return { kind: 'invalid', version: assessment.version, errors }
  return {
    kind: 'ready',
    version: assessment.version,
    compositeBp: score.compositeBp,
    composite: score.composite,
    level: score.level.id,
    levelTitle: scoring.model.levels[score.level.index]?.title ?? {
      vi: score.level.id,
      en: score.level.id,
    },
    modelVersion: score.modelVersion,
    canSubmit: can(user, 'assessment:submit'),
  }
}

export type SubmitResult =
  | {
      kind: 'submitted'
      assessmentId: number
      score: AssessmentScore
      receipt: SubmissionReceipt
      repeated: boolean
    }
  | { kind: 'invalid'; errors: AnswerError[] }
  | { kind: 'signature_refused'; reason: 'invalid' | 'rate_limited'; retryMinutes: number | null }
  | { kind: 'locked'; status: string }
  | { kind: 'stale'; version: number }
  | RoundNotOpen
  | { kind: 'not_found' }

/**
 * Signs off and submits: the password first (every refusal is audited as
 * `assessment.sign_refused`), then the same checks as the preview on the
 * version the director saw, then one transaction that locks the assessment,
 * stores the declared score and writes the audit row carrying the receipt.
 * A repeated `submissionId` answers with the first submission's receipt.
 */
export async function submitAssessment(
  db: Kysely<Database>,
  user: SessionUser,
  request: SubmitRequest,
  meta: RequestMeta,
): Promise<SubmitResult> {
  if (user.facilityId === null) return { kind: 'not_found' }
  const facilityId = user.facilityId
  const round = await getRound(db, request.roundId)
  if (!round) return { kind: 'not_found' }
  const signature = await confirmPassword(
    db,
    user,
    request.password,
    meta,
    'assessment.sign_refused',
  )
  if (!signature.ok) {
    return {
      kind: 'signature_refused',
      reason: signature.reason,
      retryMinutes: signature.reason === 'rate_limited' ? signature.retryMinutes : null,
    }
  }
  const notOpen = await refuseOutsideFacilityWindow(db, round, facilityId, todayInVietnam())
  const [questionnaire, scoring] = await Promise.all([
    getQuestionnaire(db, round.questionnaire_id),
    getRoundScoring(db, round.id),
  ])
  return db.transaction().execute(async (trx): Promise<SubmitResult> => {
    await lockAssessment(trx, facilityId, round.id)
    const repeat = await getAssessmentBySubmissionId(trx, request.submissionId)
    const assessment = await getAssessmentForFacility(trx, facilityId, round.id)
    if (!assessment) return notOpen ?? { kind: 'not_found' }
    const answers = decodeAnswers(assessment.answers)
    if (repeat) {
      // The same submission again (a double click, a retry after a lost response).
      const receipt = await getSubmissionReceipt(trx, assessment.id)
      if (repeat.id !== assessment.id || !receipt) return { kind: 'not_found' }
      return {
        kind: 'submitted',
        assessmentId: assessment.id,
        score: scoreAssessment(scoring.model, answers, { gateEnabled: scoring.gateEnabled }),
        receipt,
        repeated: true,
      }
    }
    // After the repeat: a retry of a submission made in time still gets its answer.
    if (notOpen) return notOpen
    if (assessment.status === 'submitted' || assessment.status === 'verified') {
      return { kind: 'locked', status: assessment.status }
    }
    if (assessment.version !== request.version) {
      return { kind: 'stale', version: assessment.version }
    }
    const files = new Set(await listEvidenceQuestions(trx, assessment.id))
    const { errors, score } = checkSubmission(questionnaire.json, scoring, answers, files)
    if (errors.length > 0) return { kind: 'invalid', errors }

    const now = nowIso()
    const version = assessment.version + 1
    const ok = await markSubmitted(trx, {
      id: assessment.id,
      expectedVersion: assessment.version,
      submissionId: request.submissionId,
      userId: user.id,
      now,
    })
    if (!ok) throw new Error('assessment changed inside the transaction')
    await upsertScore(trx, {
      assessmentId: assessment.id,
      scoringModelId: round.scoring_model_id,
      basis: 'declared',
      score,
      now,
    })
    const receipt: SubmissionReceipt = {
      submittedAt: now,
      version,
      answersSha256: answersSha256(answers),
      submittedBy: user.displayName,
      submissionId: request.submissionId,
    }
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: 'assessment.submit',
      entityType: 'assessment',
      entityId: assessment.id,
      facilityId,
      detail: {
        submissionId: request.submissionId,
        version,
        answersSha256: receipt.answersSha256,
        signature: 'password',
        submittedBy: user.displayName,
        compositeBp: score.compositeBp,
        level: score.level.id,
        modelVersion: score.modelVersion,
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return { kind: 'submitted', assessmentId: assessment.id, score, receipt, repeated: false }
  })
}

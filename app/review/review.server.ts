/**
 * Review actions: verify (locks; the scores become "verified"), return with
 * comments (never a rejection without a message), unlock a verified
 * assessment with a reason. Each is scoped (404 outside the reviewer's scope),
 * state-checked (409), version-checked (409) and audited, in one transaction.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getQuestionnaire, getScoringModel } from '../models/content.server.ts'
import { getRoundScoring } from '../models/round-scoring.server.ts'
import {
  getAssessmentForReview,
  insertComments,
  insertVerifiedValue,
  resolveComments,
  transitionAssessment,
} from '../models/review.server.ts'
import { upsertScore } from '../models/score.server.ts'
import { canAccessFacility, type SessionUser } from '../utils/auth.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { checkAnswerRules } from '../quality/answer-rules.server.ts'
import { MAX_BULK } from './bulk-limit.ts'
import {
  getVerifiedAnswers,
  parseVerifiedValue,
  verifiableQuestions,
} from './verified-values.server.ts'

const Id = z.coerce.number().int().positive()

const UnlockReason = z.string().trim().min(1, { error: 'reasonRequired' }).max(2000)

export const ReviewActionSchema = z.discriminatedUnion('intent', [
  /** Shows what verifying would record; writes nothing (the confirmation step). */
  z.object({ intent: z.literal('preview-verify'), version: Id }),
  z.object({ intent: z.literal('verify'), version: Id }),
  z.object({
    intent: z.literal('return'),
    version: Id,
    general: z.string().trim().max(5000).default(''),
    /** question → comment, from fields named `comment.<question>`. */
    comments: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.string().trim().max(5000))
      .default({}),
  }),
  /** Shows what unlocking would undo; writes nothing (the confirmation step). */
  z.object({ intent: z.literal('preview-unlock'), version: Id, reason: UnlockReason }),
  z.object({ intent: z.literal('unlock'), version: Id, reason: UnlockReason }),
  /** A reviewer's value for one question, beside the declared answer (never over it). */
  z.object({
    intent: z.literal('verified-value'),
    version: Id,
    question: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** Raw form strings; typed and checked against the questionnaire in the transaction. */
    value: z.array(z.string().max(5000)).max(100),
    reason: z.string().trim().min(1, { error: 'reasonRequired' }).max(2000),
  }),
])
export type ReviewRequest = z.infer<typeof ReviewActionSchema>
/** The requests that write (a preview only reads). */
export type ReviewAction = Exclude<ReviewRequest, { intent: `preview-${string}` }>

/**
 * Reads the action form: `comment.<question>` fields become the comments map;
 * `value` may repeat (a checklist's options).
 */
export function parseReviewForm(form: FormData) {
  const comments: Record<string, string> = {}
  const rest: Record<string, string> = {}
  const values: string[] = []
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string') continue
    if (key.startsWith('comment.')) {
      if (value.trim() !== '') comments[key.slice('comment.'.length)] = value
    } else if (key === 'value') values.push(value)
    else rest[key] = value
  }
  return ReviewActionSchema.safeParse({ ...rest, comments, value: values })
}

export type ReviewResult =
  | { kind: 'done'; status: string }
  | { kind: 'not_found' }
  | { kind: 'wrong_state'; status: string }
  | { kind: 'stale' }
  | {
      kind: 'invalid'
      error:
        'commentRequired' | 'reasonRequired' | 'unknownQuestion' | 'valueRequired' | 'valueInvalid'
      detail?: string
    }

type ReviewableAssessment = NonNullable<Awaited<ReturnType<typeof getAssessmentForReview>>>

/**
 * The assessment an action (or its confirmation) is about, if the reviewer
 * may act on it now: in scope (else not found), in the state the action
 * starts from, and at the version the reviewer's page showed.
 */
export async function findReviewable(
  db: Kysely<Database>,
  user: SessionUser,
  assessmentId: number,
  from: 'submitted' | 'verified',
  version: number,
): Promise<
  | { kind: 'ok'; assessment: ReviewableAssessment }
  | { kind: 'not_found' }
  | { kind: 'wrong_state'; status: string }
  | { kind: 'stale' }
> {
  const a = await getAssessmentForReview(db, assessmentId)
  if (!a || !canAccessFacility(user, { id: a.facility_id, province_code: a.province_code })) {
    return { kind: 'not_found' }
  }
  if (a.status !== from) return { kind: 'wrong_state', status: a.status }
  if (a.version !== version) return { kind: 'stale' }
  return { kind: 'ok', assessment: a }
}

/**
 * The score a verification records: the reviewer's verified values where
 * they apply, the declared answers elsewhere. The confirmation shows exactly
 * this before the reviewer verifies.
 */
export async function verificationScore(db: Kysely<Database>, a: ReviewableAssessment) {
  const { model, gateEnabled } = await getRoundScoring(db, a.round_id)
  const verified = await getVerifiedAnswers(db, a.id)
  const score = scoreAssessment(
    model,
    a.answers,
    Object.keys(verified).length > 0 ? { verified, gateEnabled } : { gateEnabled },
  )
  return { model, verified, score }
}

export async function applyReviewAction(
  db: Kysely<Database>,
  user: SessionUser,
  assessmentId: number,
  action: ReviewAction,
  meta: { clientIp: string; requestId: string },
): Promise<ReviewResult> {
  return db
    .transaction()
    .execute((trx) => reviewInTransaction(trx, user, assessmentId, action, meta))
}

/** One review action inside the caller's transaction. */
async function reviewInTransaction(
  trx: Kysely<Database>,
  user: SessionUser,
  assessmentId: number,
  action: ReviewAction,
  meta: { clientIp: string; requestId: string },
): Promise<ReviewResult> {
  const from = action.intent === 'unlock' ? 'verified' : 'submitted'
  const checked = await findReviewable(trx, user, assessmentId, from, action.version)
  if (checked.kind !== 'ok') return checked
  const a = checked.assessment
  const now = nowIso()
  if (action.intent === 'verified-value')
    return recordVerifiedValue(trx, user, a, action, meta, now)
  const to = action.intent === 'verify' ? 'verified' : 'returned'

  const comments =
    action.intent === 'return'
      ? [
          ...(action.general ? [{ question: null, body: action.general }] : []),
          ...Object.entries(action.comments).map(([question, body]) => ({ question, body })),
        ]
      : []
  if (action.intent === 'return' && comments.length === 0)
    return { kind: 'invalid', error: 'commentRequired' } as const

  const ok = await transitionAssessment(trx, {
    id: a.id,
    from,
    to,
    expectedVersion: a.version,
    userId: user.id,
    now,
  })
  if (!ok) return { kind: 'stale' } as const

  // The data-quality contradictions still open when the reviewer verified (kept in the audit row).
  let dataQuality: string[] = []
  if (action.intent === 'verify') {
    // Verified scores use the reviewer's verified values where recorded, the declared answers elsewhere.
    const { model, verified, score } = await verificationScore(trx, a)
    const rules = await checkAnswerRules(trx, {
      facilityId: a.facility_id,
      model,
      answers: a.answers,
      verified,
    })
    dataQuality = rules.hits.map((h) => h.id)
    await upsertScore(trx, {
      assessmentId: a.id,
      scoringModelId: a.scoring_model_id,
      basis: 'verified',
      score,
      now,
    })
    await resolveComments(trx, a.id, now)
  }
  if (action.intent === 'return') {
    await resolveComments(trx, a.id, now)
    await insertComments(
      trx,
      comments.map((c) => ({
        assessmentId: a.id,
        question: c.question,
        body: c.body,
        authorId: user.id,
        at: now,
      })),
    )
  }
  if (action.intent === 'unlock') {
    await insertComments(trx, [
      { assessmentId: a.id, question: null, body: action.reason, authorId: user.id, at: now },
    ])
  }
  await writeAudit(trx, {
    at: now,
    actorId: user.id,
    action: `assessment.${action.intent}`,
    entityType: 'assessment',
    entityId: a.id,
    facilityId: a.facility_id,
    detail: {
      from,
      to,
      version: a.version + 1,
      ...(action.intent === 'return' ? { comments: comments.length } : {}),
      ...(action.intent === 'unlock' ? { reason: action.reason } : {}),
      ...(action.intent === 'verify' ? { dataQuality } : {}),
    },
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
  return { kind: 'done', status: to } as const
}

/**
 * Records a verified value: checked against the questionnaire like any
 * answer, only for a scored question, on a submitted assessment; bumps the
 * version so a reviewer acting on an older page is told (409).
 */
async function recordVerifiedValue(
  trx: Kysely<Database>,
  user: SessionUser,
  a: ReviewableAssessment,
  action: Extract<ReviewAction, { intent: 'verified-value' }>,
  meta: { clientIp: string; requestId: string },
  now: string,
): Promise<ReviewResult> {
  const model = await getScoringModel(trx, a.scoring_model_id)
  if (!verifiableQuestions(model).has(action.question))
    return { kind: 'invalid', error: 'unknownQuestion' }
  const questionnaire = await getQuestionnaire(trx, a.questionnaire_id)
  const parsed = parseVerifiedValue(
    questionnaire.json,
    questionnaire.version,
    a.answers,
    action.question,
    action.value,
  )
  if (!parsed.ok) return { kind: 'invalid', error: parsed.error, detail: parsed.detail }
  // A reviewer's value meets the model's answer rules like a director's answer.
  const refused = (
    await checkAnswerRules(trx, {
      facilityId: a.facility_id,
      model,
      answers: a.answers,
      verified: { ...(await getVerifiedAnswers(trx, a.id)), [action.question]: parsed.value },
    })
  ).refused.find((r) => r.question === action.question)
  if (refused) return { kind: 'invalid', error: 'valueInvalid', detail: refused.message.vi }
  const ok = await transitionAssessment(trx, {
    id: a.id,
    from: 'submitted',
    to: 'submitted',
    expectedVersion: a.version,
    userId: user.id,
    now,
  })
  if (!ok) return { kind: 'stale' }
  await insertVerifiedValue(trx, {
    assessmentId: a.id,
    question: action.question,
    valueJson: JSON.stringify(parsed.value),
    reason: action.reason,
    reviewerId: user.id,
    at: now,
  })
  await writeAudit(trx, {
    at: now,
    actorId: user.id,
    action: 'assessment.verified_value',
    entityType: 'assessment',
    entityId: a.id,
    facilityId: a.facility_id,
    detail: {
      question: action.question,
      value: parsed.value,
      reason: action.reason,
      version: a.version + 1,
    },
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
  return { kind: 'done', status: 'submitted' }
}

/** "id:version" pairs, so a stale row fails the whole batch. */
const BulkItems = z
  .array(z.string().regex(/^\d+:\d+$/))
  .max(MAX_BULK, { error: 'tooMany' })
  .transform((xs) => xs.map((x) => x.split(':').map(Number) as [number, number]))

export const BulkVerifySchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('bulk-verify'),
    items: BulkItems.pipe(
      z.array(z.tuple([z.number(), z.number()])).min(1, { error: 'nothingSelected' }),
    ),
  }),
  /**
   * The confirmation step: the items ticked, or (`all`) every submission
   * matching the queue's filters, given as the queue's query string.
   */
  z.object({
    intent: z.literal('preview-bulk-verify'),
    items: BulkItems,
    all: z.enum(['0', '1']).default('0'),
    filters: z.string().max(2000).default(''),
  }),
])

export type BulkRefusal = { assessmentId: number; reason: 'not_found' | 'wrong_state' | 'stale' }

export type BulkResult =
  { kind: 'done'; count: number } | { kind: 'refused'; refused: BulkRefusal[] }

/**
 * Verifies a selection in one transaction: all or nothing. Any item outside
 * scope, in the wrong state or stale refuses the whole batch, naming each.
 */
export async function bulkVerify(
  db: Kysely<Database>,
  user: SessionUser,
  items: ReadonlyArray<readonly [number, number]>,
  meta: { clientIp: string; requestId: string },
): Promise<BulkResult> {
  class Refused extends Error {
    constructor(readonly refused: BulkRefusal[]) {
      super('refused')
    }
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const refused: BulkRefusal[] = []
      for (const [assessmentId, version] of items) {
        const result = await reviewInTransaction(
          trx,
          user,
          assessmentId,
          { intent: 'verify', version },
          meta,
        )
        // A verification is never 'invalid' (that is a return without comments or a bad value).
        if (result.kind !== 'done' && result.kind !== 'invalid')
          refused.push({ assessmentId, reason: result.kind })
      }
      // Throwing rolls back every verification of this batch.
      if (refused.length > 0) throw new Refused(refused)
      return { kind: 'done', count: items.length } as const
    })
  } catch (error) {
    if (error instanceof Refused) return { kind: 'refused', refused: error.refused }
    throw error
  }
}

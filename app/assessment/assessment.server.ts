/**
 * The director's journey on the server: save (autosave) with optimistic
 * concurrency, submit once, and score with the engine. The facility always
 * comes from the session, never from the request; scores computed in the
 * browser are never trusted — the server scores every save (a draft just
 * after its save commits: draft-score.server.ts).
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import {
  getAssessmentForFacility,
  insertAnswerChanges,
  insertAssessment,
  updateAnswers,
  updateCurrentPage,
  lockAssessment,
} from '../models/assessment.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getQuestionnaire, getScoringModel } from '../models/content.server.ts'
import { getRound } from '../models/round.server.ts'
import { decodeAnswers } from '../models/stored-json.server.ts'
import type { SessionUser } from '../utils/auth.server.ts'
import { bilingual } from '../utils/bilingual.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { checkAnswerRules } from '../quality/answer-rules.server.ts'
import { getCompiledQuestionnaire, validateChangedAnswers } from './compiled-validator.server.ts'
import { scheduleDraftScore, whileSaving } from './draft-score.server.ts'
import { mergedChanges, planStaleSave, type ChangeSince } from './merge.server.ts'
import { refuseOutsideFacilityWindow, type RoundNotOpen } from './round-window.server.ts'
import type { AnswerError } from '../questionnaire/validate.server.ts'

const QuestionNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'question names are lower_snake_case')
  .max(100)

/** A JSON value as SurveyJS stores it. */
const AnswerValueSchema = z.union([
  z.string().max(5_000),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string().max(200), z.number()])).max(100),
  z.null(),
])

export const SaveRequestSchema = z.strictObject({
  roundId: z.number().int().positive(),
  /** The version the browser last saw; 0 when it never saw the assessment. */
  baseVersion: z.number().int().min(0),
  /** Changed answers only; null removes an answer. */
  changes: z
    .record(QuestionNameSchema, AnswerValueSchema)
    .refine((c) => Object.keys(c).length <= 500, 'at most 500 changes per save'),
  currentPage: z.number().int().min(0).max(200),
})
export type SaveRequest = z.infer<typeof SaveRequestSchema>

export interface RequestMeta {
  clientIp: string
  requestId: string
}

export type SaveResult =
  | {
      kind: 'saved'
      version: number
      savedAt: string
      status: string
      /** Set when the save was merged on top of others' changes: theirs, to show. */
      merged?: Array<{ question: string; value: unknown; by: string; at: string }>
    }
  | { kind: 'invalid'; errors: AnswerError[] }
  | { kind: 'locked'; status: string }
  | {
      kind: 'conflict'
      version: number
      answers: Record<string, unknown>
      currentPage: number
      changes: Array<{ question: string; value: unknown; by: string; at: string }>
    }
  | RoundNotOpen
  | { kind: 'no_round' }

type Answers = Record<string, unknown>

function applyChanges(answers: Answers, changes: Record<string, unknown>): Answers {
  const next: Answers = { ...answers }
  for (const [question, value] of Object.entries(changes)) {
    if (value === null) delete next[question]
    else next[question] = value
  }
  return next
}

function requireFacility(user: SessionUser): number {
  if (user.facilityId === null) throw new Error('only facility users have an assessment')
  return user.facilityId
}

/**
 * One autosave: the changes on top of the stored answers, under optimistic
 * concurrency, in one transaction; the draft's score is stored after it
 * commits, with the drafts of the saves running beside it.
 */
export async function saveAssessment(
  db: Kysely<Database>,
  user: SessionUser,
  request: SaveRequest,
  meta: RequestMeta,
): Promise<SaveResult> {
  return whileSaving(db, () => saveInTransaction(db, user, request, meta))
}

async function saveInTransaction(
  db: Kysely<Database>,
  user: SessionUser,
  request: SaveRequest,
  meta: RequestMeta,
): Promise<SaveResult> {
  const facilityId = requireFacility(user)
  const round = await getRound(db, request.roundId)
  if (!round) return { kind: 'no_round' }
  const notOpen = await refuseOutsideFacilityWindow(db, round, facilityId, todayInVietnam())
  if (notOpen) return notOpen
  const questionnaire = await getQuestionnaire(db, round.questionnaire_id)

  // Scored once the save has committed, never inside its transaction.
  const toScore: number[] = []
  // Every refusal returns before the first write, so a refused save (even the
  // first one of a facility) leaves nothing behind.
  const result = await db.transaction().execute(async (trx) => {
    await lockAssessment(trx, facilityId, round.id)
    const now = nowIso()
    const existing = await getAssessmentForFacility(trx, facilityId, round.id)
    if (!existing && request.baseVersion !== 0) return { kind: 'no_round' } as const
    if (existing && (existing.status === 'submitted' || existing.status === 'verified')) {
      return { kind: 'locked', status: existing.status } as const
    }
    const hasChanges = Object.keys(request.changes).length > 0
    // A save built on an older version: merged on top when nobody else changed
    // its questions since (merge.server.ts), a conflict otherwise.
    const stale = existing && existing.version !== request.baseVersion && hasChanges
    const plan = stale
      ? await planStaleSave(trx, existing.id, request.baseVersion, request.changes)
      : null
    const conflict = (changes: ChangeSince[]) =>
      ({
        kind: 'conflict',
        version: existing?.version ?? 0,
        answers: existing ? decodeAnswers(existing.answers) : {},
        currentPage: existing?.current_page ?? 0,
        changes: changes.map(({ question, value, by, at }) => ({ question, value, by, at })),
      }) as const
    if (plan?.kind === 'conflict') return conflict(plan.changes)

    const before = existing ? decodeAnswers(existing.answers) : {}
    const after = applyChanges(before, request.changes)
    // The data-quality contradictions the saved answers show (kept in the audit row).
    let dataQuality: string[] = []
    if (hasChanges) {
      // Only what this save changes, against the questionnaire compiled once;
      // survey-core's full validation runs at submit.
      const validation = validateChangedAnswers(
        getCompiledQuestionnaire(questionnaire.json),
        after,
        Object.keys(request.changes),
      )
      if (!validation.ok) {
        // Valid alone but not on top of the colleagues' answers (an answer of
        // theirs hides one of these questions, say): the person decides.
        if (plan?.kind === 'merge' && existing) {
          return conflict(await mergedChanges(trx, existing.id, request.baseVersion))
        }
        return { kind: 'invalid', errors: validation.errors } as const
      }
      // The model's answer rules: "not applicable" the registry does not confirm is refused.
      const rules = await checkAnswerRules(trx, {
        facilityId,
        model: await getScoringModel(trx, round.scoring_model_id),
        answers: after,
      })
      if (rules.refused.length > 0) return { kind: 'invalid', errors: rules.refused } as const
      dataQuality = rules.flags.map((f) => f.id)
    }

    // A page move with nothing answered yet creates nothing: the facility stays
    // "not started" until its first answer (version 0 = no assessment yet).
    if (!existing && !hasChanges) {
      return { kind: 'saved', version: 0, savedAt: now, status: 'not_started' } as const
    }
    const assessment =
      existing ??
      (await insertAssessment(trx, { facilityId, roundId: round.id, userId: user.id, now }))
    if (!hasChanges) {
      // Only the page moved: no answer changed, so no new version and no conflict.
      await updateCurrentPage(trx, assessment.id, request.currentPage)
      return {
        kind: 'saved',
        version: assessment.version,
        savedAt: assessment.updated_at,
        status: assessment.status,
      } as const
    }

    const changed = Object.keys(request.changes).filter(
      (q) => JSON.stringify(before[q]) !== JSON.stringify(after[q]),
    )
    const version = assessment.version + 1
    const written = await updateAnswers(trx, {
      id: assessment.id,
      expectedVersion: assessment.version,
      answers: JSON.stringify(after),
      currentPage: request.currentPage,
      userId: user.id,
      now,
    })
    if (!written) throw new Error('assessment changed inside the transaction')
    await insertAnswerChanges(
      trx,
      changed.map((question) => ({
        assessmentId: assessment.id,
        question,
        oldValue: before[question],
        newValue: after[question],
        userId: user.id,
        at: now,
        version,
        basedOnVersion: request.baseVersion,
      })),
    )
    toScore.push(assessment.id)
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: 'assessment.save',
      entityType: 'assessment',
      entityId: assessment.id,
      facilityId,
      detail: {
        version,
        questions: changed,
        currentPage: request.currentPage,
        dataQuality,
        ...(plan?.kind === 'merge'
          ? { mergedOnto: assessment.version, basedOn: request.baseVersion, mergedOver: plan.over }
          : {}),
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return {
      kind: 'saved',
      version,
      savedAt: now,
      status: assessment.status,
      // The colleagues' answers this browser has not seen yet, for the form to show.
      ...(plan?.kind === 'merge'
        ? { merged: await mergedChanges(trx, assessment.id, request.baseVersion, version) }
        : {}),
    } as const
  })
  for (const assessmentId of toScore) {
    void scheduleDraftScore(db, assessmentId, round.id)
  }
  return result
}

/**
 * Evidence is needed for every answer that claims a gate passes (the item's
 * score reaches the gate's threshold; an evidence item no gate names needs it
 * at its best answer): an uploaded file or a written reference in
 * `<item>__evidence_ref`.
 */
export function missingEvidence(
  model: ScoringModel,
  score: AssessmentScore,
  answers: Answers,
  questionsWithFiles: Set<string>,
): AnswerError[] {
  const errors: AnswerError[] = []
  for (const item of model.items) {
    if (!item.evidenceRequired) continue
    const thresholds = model.gates.flatMap((g) =>
      g.condition.kind === 'item' && g.condition.itemId === item.id ? [g.condition.minScore] : [],
    )
    const threshold = thresholds.length > 0 ? Math.min(...thresholds) : 1
    const scored = score.items.find((i) => i.id === item.id)
    if (!scored || scored.status !== 'answered' || (scored.score ?? 0) < threshold) continue
    const reference = answers[`${item.id}__evidence_ref`]
    const hasReference = typeof reference === 'string' && reference.trim().length > 0
    if (!hasReference && !questionsWithFiles.has(item.id)) {
      errors.push({
        question: item.id,
        message: bilingual('assessment:evidence.needed'),
      })
    }
  }
  return errors
}

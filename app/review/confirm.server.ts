/**
 * What a reviewer confirms before verify, bulk verify and unlock: which
 * facilities, and what changes (the score that will be recorded, the
 * verified values that apply, what an unlock undoes). Read-only: nothing is
 * written until the reviewer confirms, and the confirmation carries the
 * versions shown here, so anything that changed meanwhile is refused (409).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { describeAnswer, getQuestionTexts } from '../questionnaire/texts.server.ts'
import type { Locale } from '../i18n.ts'
import { getQuestionnaire } from '../models/content.server.ts'
import { listAssessmentFacilityNames, listLatestVerifiedValues } from '../models/review.server.ts'
import { getScore } from '../models/score.server.ts'
import { facilityFilterFor, type SessionUser } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import { findReviewable, verificationScore } from './review.server.ts'

/** A score as the confirmation shows it: points, level with its title, failed gates by title. */
export interface ScoreSummary {
  composite: number
  level: string
  levelTitle: string
  failedGates: string[]
}

export function summarizeScore(
  model: ScoringModel,
  score: AssessmentScore,
  locale: Locale,
): ScoreSummary {
  const level = model.levels.find((l) => l.id === score.level.id)
  return {
    composite: score.composite,
    level: score.level.id,
    levelTitle: level ? localized(level.title, locale) : score.level.id,
    failedGates: score.gates
      .filter((g) => g.enabled && !g.passed)
      .map((g) => {
        const gate = model.gates.find((x) => x.id === g.id)
        return gate ? localized(gate.title, locale) : g.id
      }),
  }
}

/** Why an item cannot be acted on; `facility` is named only when it is in the reviewer's scope. */
export interface Refusal {
  assessmentId: number
  reason: 'not_found' | 'wrong_state' | 'stale'
  facility: { code: string; name: string } | null
}

type Refused = { kind: 'not_found' } | { kind: 'wrong_state'; status: string } | { kind: 'stale' }

export type VerifyPreview =
  | Refused
  | {
      kind: 'preview'
      assessmentId: number
      version: number
      facility: { id: number; code: string; name: string }
      round: string
      declared: ScoreSummary | null
      record: ScoreSummary
      /** The reviewer's values: those that apply replace the declared answer in the score. */
      values: Array<{
        question: string
        declared: string
        verified: string
        reason: string
        applies: boolean
      }>
    }

/** The confirmation of one verification: the score it records and the values it rests on. */
export async function previewVerify(
  db: Kysely<Database>,
  user: SessionUser,
  assessmentId: number,
  version: number,
  locale: Locale,
  empty: string,
): Promise<VerifyPreview> {
  const checked = await findReviewable(db, user, assessmentId, 'submitted', version)
  if (checked.kind !== 'ok') return checked
  const a = checked.assessment
  const [{ model, score }, declared, values, questionnaire] = await Promise.all([
    verificationScore(db, a),
    getScore(db, a.id, a.scoring_model_id, 'declared'),
    listLatestVerifiedValues(db, a.id),
    getQuestionnaire(db, a.questionnaire_id),
  ])
  const texts = getQuestionTexts(questionnaire.json, questionnaire.version, locale)
  return {
    kind: 'preview',
    assessmentId: a.id,
    version: a.version,
    facility: { id: a.facility_id, code: a.code, name: a.name },
    round: a.round_name,
    declared: declared ? summarizeScore(model, declared.score, locale) : null,
    record: summarizeScore(model, score, locale),
    values: values.map((v) => {
      const text = texts.get(v.question)
      return {
        question: text?.title ?? v.question,
        declared: describeAnswer(text, a.answers[v.question], empty),
        verified: describeAnswer(text, v.value, empty),
        reason: v.reason,
        applies: !v.superseded,
      }
    }),
  }
}

export type UnlockPreview =
  | Refused
  | {
      kind: 'preview'
      assessmentId: number
      version: number
      facility: { id: number; code: string; name: string }
      round: string
      reason: string
      /** The verified score that becomes history until the next verification. */
      verified: ScoreSummary | null
    }

/** The confirmation of an unlock: the facility, the verified score set aside, the reason it will read. */
export async function previewUnlock(
  db: Kysely<Database>,
  user: SessionUser,
  assessmentId: number,
  version: number,
  reason: string,
  locale: Locale,
): Promise<UnlockPreview> {
  const checked = await findReviewable(db, user, assessmentId, 'verified', version)
  if (checked.kind !== 'ok') return checked
  const a = checked.assessment
  const [{ model }, verified] = await Promise.all([
    verificationScore(db, a),
    getScore(db, a.id, a.scoring_model_id, 'verified'),
  ])
  return {
    kind: 'preview',
    assessmentId: a.id,
    version: a.version,
    facility: { id: a.facility_id, code: a.code, name: a.name },
    round: a.round_name,
    reason,
    verified: verified ? summarizeScore(model, verified.score, locale) : null,
  }
}

export interface BulkPreview {
  items: Array<{
    assessmentId: number
    version: number
    facility: { code: string; name: string }
    declared: ScoreSummary | null
    record: ScoreSummary
    /** Verified values that apply (they change the recorded score). */
    verifiedValues: number
  }>
  refused: Refusal[]
}

/**
 * The confirmation of a bulk verification: for each selected submission the
 * score it will record; any that cannot be verified now is named with the
 * reason, and the batch (all or nothing) cannot go ahead until it is left out.
 */
export async function previewBulkVerify(
  db: Kysely<Database>,
  user: SessionUser,
  items: ReadonlyArray<readonly [number, number]>,
  locale: Locale,
): Promise<BulkPreview> {
  const out: BulkPreview = { items: [], refused: [] }
  const refusedIds: Array<{ assessmentId: number; reason: Refusal['reason'] }> = []
  for (const [assessmentId, version] of items) {
    const checked = await findReviewable(db, user, assessmentId, 'submitted', version)
    if (checked.kind !== 'ok') {
      refusedIds.push({ assessmentId, reason: checked.kind })
      continue
    }
    const a = checked.assessment
    const [{ model, score, verified }, declared] = await Promise.all([
      verificationScore(db, a),
      getScore(db, a.id, a.scoring_model_id, 'declared'),
    ])
    out.items.push({
      assessmentId: a.id,
      version: a.version,
      facility: { code: a.code, name: a.name },
      declared: declared ? summarizeScore(model, declared.score, locale) : null,
      record: summarizeScore(model, score, locale),
      verifiedValues: Object.keys(verified).length,
    })
  }
  out.refused = await nameRefusals(db, user, refusedIds)
  return out
}

/**
 * Refusals with the facility's name where the reviewer may see it; an
 * assessment outside the scope (or that does not exist) stays a bare number,
 * exactly as the reviewer sent it.
 */
export async function nameRefusals(
  db: Kysely<Database>,
  user: SessionUser,
  refused: ReadonlyArray<{ assessmentId: number; reason: Refusal['reason'] }>,
): Promise<Refusal[]> {
  const names = await listAssessmentFacilityNames(
    db,
    facilityFilterFor(user),
    refused.filter((r) => r.reason !== 'not_found').map((r) => r.assessmentId),
  )
  const byId = new Map(names.map((n) => [n.id, { code: n.code, name: n.name }]))
  return refused.map((r) => ({
    assessmentId: r.assessmentId,
    reason: r.reason,
    facility: r.reason === 'not_found' ? null : (byId.get(r.assessmentId) ?? null),
  }))
}

/** The review page: every answer read-only with its item score, evidence, comments, history. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { describeAnswer, getQuestionTexts } from '../assessment/questionnaire-text.server.ts'
import type { Locale } from '../i18n.ts'
import { listFacilityAssessments } from '../models/assessment.server.ts'
import { listOpenComments } from '../models/comment.server.ts'
import { getQuestionnaire, getScoringModel } from '../models/content.server.ts'
import { listEvidence } from '../models/evidence.server.ts'
import { getAssessmentForReview, listLatestVerifiedValues } from '../models/review.server.ts'
import { currentBasis, getCurrentScore, getScore } from '../models/score.server.ts'
import { canAccessFacility, type SessionUser } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import { summarizeScore } from './confirm.server.ts'
import { getQuestionShapes } from './verified-values.server.ts'

export async function getReviewPage(
  db: Kysely<Database>,
  user: SessionUser,
  assessmentId: number,
  locale: Locale,
  empty: string,
) {
  const a = await getAssessmentForReview(db, assessmentId)
  if (!a || !canAccessFacility(user, { id: a.facility_id, province_code: a.province_code }))
    return null
  const [model, questionnaire, declared, verifiedRow, evidence, comments, history, verifiedValues] =
    await Promise.all([
      getScoringModel(db, a.scoring_model_id),
      getQuestionnaire(db, a.questionnaire_id),
      getScore(db, a.id, a.scoring_model_id, 'declared'),
      getScore(db, a.id, a.scoring_model_id, 'verified'),
      listEvidence(db, a.id),
      listOpenComments(db, a.id),
      listFacilityAssessments(db, a.facility_id),
      listLatestVerifiedValues(db, a.id),
    ])
  const texts = getQuestionTexts(questionnaire.json, questionnaire.version, locale)
  const shapes = getQuestionShapes(questionnaire.json, questionnaire.version)
  const verifiedByQuestion = new Map(verifiedValues.map((v) => [v.question, v]))
  // After an unlock the verified score is history until the next verification.
  const verifiedScore =
    verifiedRow && currentBasis(a.status) === 'verified' ? verifiedRow.score : null
  const answers = a.answers
  const score = declared?.score ?? null
  const itemScores = new Map(score?.items.map((i) => [i.id, i]) ?? [])
  const gateItems = new Set(
    model.gates.flatMap((g) => (g.condition.kind === 'item' ? [g.condition.itemId] : [])),
  )
  const domains = model.domains.map((d) => ({
    id: d.id,
    title: localized(d.title, locale),
    score: score?.domains.find((x) => x.id === d.id)?.score ?? null,
    items: model.items
      .filter((i) => i.domainId === d.id)
      .map((i) => {
        const s = itemScores.get(i.id)
        const v = verifiedByQuestion.get(i.id)
        const shape = shapes.get(i.id)
        const text = texts.get(i.id)
        return {
          id: i.id,
          question: texts.get(i.id)?.title ?? i.id,
          answer: describeAnswer(texts.get(i.id), answers[i.id], empty),
          evidenceRef:
            typeof answers[`${i.id}__evidence_ref`] === 'string'
              ? String(answers[`${i.id}__evidence_ref`])
              : null,
          status: s?.status ?? 'missing',
          score: s?.score ?? null,
          lost: s?.lost ?? 0,
          gate: gateItems.has(i.id),
          verified: v
            ? {
                answer: describeAnswer(text, v.value, empty),
                reason: v.reason,
                reviewer: v.reviewer,
                at: v.created_at,
                superseded: v.superseded,
              }
            : null,
          /** What the verified-value control offers for this question. */
          input: {
            kind: shape?.kind ?? 'text',
            choices: (shape?.choices ?? []).map((c) => ({
              value: String(c),
              label: text?.choices[String(c)] ?? String(c),
            })),
          },
        }
      }),
  }))
  const pastScores = await Promise.all(
    history
      .filter((h) => h.id !== a.id)
      .map(async (h) => {
        const row = await getCurrentScore(db, h.id)
        return {
          round: h.round_name,
          status: h.status,
          compositeBp: row?.compositeBp ?? null,
          level: row?.level ?? null,
        }
      }),
  )
  return {
    assessment: {
      id: a.id,
      status: a.status,
      version: a.version,
      submittedAt: a.submitted_at,
      verifiedAt: a.verified_at,
      round: a.round_name,
    },
    facility: { id: a.facility_id, code: a.code, name: a.name, tier: a.tier },
    score: score && {
      ...summarizeScore(model, score, locale),
      completeness: score.completeness,
    },
    /** The verified-basis score (after verification); null until then. */
    verifiedScore: verifiedScore && {
      ...summarizeScore(model, verifiedScore, locale),
      fromVerifiedValues: verifiedScore.items.filter((i) => i.source === 'verified').length,
    },
    verifiedCount: verifiedValues.length,
    domains,
    // Question titles, never their ids; the file's checksum stays for support.
    evidence: evidence.map((e) => ({ ...e, question: texts.get(e.question)?.title ?? e.question })),
    comments: comments.map((c) => ({
      ...c,
      question: c.question === null ? null : (texts.get(c.question)?.title ?? c.question),
    })),
    history: pastScores,
  }
}

/** The review page: every answer read-only with its item score, evidence, comments, history. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { describeAnswer, getQuestionTexts } from '../questionnaire/texts.server.ts'
import type { Locale } from '../i18n.ts'
import { listFacilityAssessments } from '../models/assessment.server.ts'
import { listOpenComments } from '../models/comment.server.ts'
import { getQuestionnaire, getScoringModel } from '../models/content.server.ts'
import { listEvidence } from '../models/evidence.server.ts'
import { getAssessmentForReview, listLatestVerifiedValues } from '../models/review.server.ts'
import { currentBasis, getCurrentScore, getScore } from '../models/score.server.ts'
import { canAccessFacility, type SessionUser } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import { checkAnswerRules } from '../quality/answer-rules.server.ts'
import { summarizeScore } from './confirm.server.ts'
import {
  getQuestionShapes,
  getVerifiedAnswers,
  verifiableQuestions,
} from './verified-values.server.ts'

export async function getReviewPage(
  db: Kysely<Database>,
  user: SessionUser,
  assessmentId: number,
  locale: Locale,
  empty: string,
  /** The heading of the facility-profile answers the planner reads. */
  profileTitle = 'facility_profile',
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
  const itemIds = new Set(model.items.map((i) => i.id))
  /** One answer as the reviewer sees it, with its verified-value control. */
  const row = (id: string) => {
    const s = itemScores.get(id)
    const v = verifiedByQuestion.get(id)
    const shape = shapes.get(id)
    const text = texts.get(id)
    return {
      id,
      question: text?.title ?? id,
      answer: describeAnswer(text, answers[id], empty),
      evidenceRef:
        typeof answers[`${id}__evidence_ref`] === 'string'
          ? String(answers[`${id}__evidence_ref`])
          : null,
      /** False for profile answers the planner reads but the model does not score. */
      scored: itemIds.has(id),
      status: s?.status ?? 'missing',
      score: s?.score ?? null,
      lost: s?.lost ?? 0,
      gate: gateItems.has(id),
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
  }
  // Unscored answers the planner and the answer rules read, verifiable like the items.
  const profile = [...verifiableQuestions(model)].filter((q) => !itemIds.has(q) && shapes.has(q))
  const domains = [
    ...(profile.length > 0
      ? [{ id: 'facility_profile', title: profileTitle, score: null, items: profile.map(row) }]
      : []),
    ...model.domains.map((d) => ({
      id: d.id,
      title: localized(d.title, locale),
      score: score?.domains.find((x) => x.id === d.id)?.score ?? null,
      items: model.items.filter((i) => i.domainId === d.id).map((i) => row(i.id)),
    })),
  ]
  // The model's data-quality rules on the answers as declared and, once the reviewer recorded
  // values, as they stand with them (what verification would store).
  const describeHits = (hits: Awaited<ReturnType<typeof checkAnswerRules>>['hits']) =>
    hits.map((h) => ({
      id: h.id,
      effect: h.effect,
      question: texts.get(h.question)?.title ?? h.question,
      message: localized(h.message, locale),
    }))
  const verifiedAnswers = await getVerifiedAnswers(db, a.id)
  const declaredRules = await checkAnswerRules(db, { facilityId: a.facility_id, model, answers })
  const verifiedRules =
    Object.keys(verifiedAnswers).length > 0
      ? await checkAnswerRules(db, {
          facilityId: a.facility_id,
          model,
          answers,
          verified: verifiedAnswers,
        })
      : null
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
      roundId: a.round_id,
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
    dataQuality: {
      /** Model 1.0 has no rules: the page says so rather than "no contradiction". */
      ruleCount: (model.answerRules ?? []).length,
      model: `${model.id} ${model.version}`,
      declared: describeHits(declaredRules.hits),
      /** Null until the reviewer records a value. */
      verified: verifiedRules && describeHits(verifiedRules.hits),
    },
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

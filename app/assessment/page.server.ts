/** Everything the assessment form page needs, for the signed-in facility user. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { getAssessmentForFacility } from '../models/assessment.server.ts'
import { getQuestionnaire, getScoringModel } from '../models/content.server.ts'
import { listOpenComments } from '../models/comment.server.ts'
import { listEvidence } from '../models/evidence.server.ts'
import { getFacilityDetails } from '../models/facility.server.ts'
import { getCurrentRound, getNextRound } from '../models/round.server.ts'
import { decodeAnswers } from '../models/stored-json.server.ts'
import { getSubmissionReceipt } from '../models/submission.server.ts'
import { can } from '../utils/permissions.ts'
import type { Locale } from '../i18n.ts'
import type { SessionUser } from '../utils/auth.server.ts'
import { questionnaireInLanguage } from './questionnaire-locale.ts'
import { facilityDeadline } from './round-window.server.ts'

export async function getAssessmentPage(
  db: Kysely<Database>,
  user: SessionUser,
  today: string,
  locale: Locale,
) {
  if (user.facilityId === null) throw new Error('only facility users have an assessment')
  const [round, facility] = await Promise.all([
    getCurrentRound(db, today),
    getFacilityDetails(db, user.facilityId),
  ])
  if (!round || !facility) return { round: null, facility: facility ?? null } as const
  const [questionnaire, model, assessment, deadline, next] = await Promise.all([
    getQuestionnaire(db, round.questionnaire_id),
    getScoringModel(db, round.scoring_model_id),
    getAssessmentForFacility(db, user.facilityId, round.id),
    facilityDeadline(db, round, user.facilityId, today),
    getNextRound(db, today),
  ])
  const [evidence, comments, receipt] = assessment
    ? await Promise.all([
        listEvidence(db, assessment.id),
        listOpenComments(db, assessment.id),
        getSubmissionReceipt(db, assessment.id),
      ])
    : [[], [], null]
  return {
    round: {
      id: round.id,
      name: round.name,
      // The facility's own last day (its extension's, if a reviewer granted one).
      closesOn: deadline.closesOn,
      // The current round is the latest that has opened, so it is open or closed.
      window: deadline.window,
    },
    deadline,
    nextRound: next ? { name: next.name, opensOn: next.opens_on, closesOn: next.closes_on } : null,
    facility: { id: facility.id, name: facility.name, code: facility.code },
    questionnaire: questionnaireInLanguage(questionnaire.json, locale),
    evidenceItems: model.items.filter((i) => i.evidenceRequired).map((i) => i.id),
    assessment: assessment
      ? {
          id: assessment.id,
          status: assessment.status,
          version: assessment.version,
          answers: decodeAnswers(assessment.answers),
          currentPage: assessment.current_page,
          submittedAt: assessment.submitted_at,
        }
      : null,
    evidence,
    comments,
    // The receipt of the submission under review; a returned assessment is a draft again.
    receipt:
      assessment?.status === 'submitted' || assessment?.status === 'verified' ? receipt : null,
    /** Staff prepare; only the director signs off. */
    canSubmit: can(user, 'assessment:submit'),
  } as const
}

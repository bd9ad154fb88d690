/**
 * The facility's own paper copies: the full response as answered (every
 * question the director was shown and its answer, in the reader's language,
 * with the submission receipt once submitted) and the blank form of the
 * current round for preparing answers offline. Both read the questionnaire
 * through survey-core (`printableQuestionnaire`), so paper and screen show
 * the same titles, numbers and labels.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { Locale } from '../i18n.ts'
import { getAssessmentForFacility } from '../models/assessment.server.ts'
import { getQuestionnaire } from '../models/content.server.ts'
import { getFacilityDetails } from '../models/facility.server.ts'
import { getCurrentRound } from '../models/round.server.ts'
import { decodeAnswers } from '../models/stored-json.server.ts'
import { getSubmissionReceipt } from '../models/submission.server.ts'
import type { SessionUser } from '../utils/auth.server.ts'
import { printableQuestionnaire } from '../questionnaire/texts.server.ts'

/** The current round's response of the signed-in facility user's facility; null without a round. */
export async function getPrintableResponse(
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
  if (!round || !facility) return null
  const [questionnaire, assessment] = await Promise.all([
    getQuestionnaire(db, round.questionnaire_id),
    getAssessmentForFacility(db, facility.id, round.id),
  ])
  const submitted = assessment?.status === 'submitted' || assessment?.status === 'verified'
  const receipt = assessment && submitted ? await getSubmissionReceipt(db, assessment.id) : null
  const answers = assessment ? decodeAnswers(assessment.answers) : {}
  return {
    facility: { name: facility.name, code: facility.code },
    round: { name: round.name, closesOn: round.closes_on },
    questionnaireVersion: questionnaire.version,
    status: assessment?.status ?? null,
    version: assessment?.version ?? null,
    updatedAt: assessment?.updated_at ?? null,
    receipt,
    pages: printableQuestionnaire(questionnaire.json, locale, answers),
  }
}

/** The current round's questionnaire with no answers; null without a round. */
export async function getBlankForm(db: Kysely<Database>, today: string, locale: Locale) {
  const round = await getCurrentRound(db, today)
  if (!round) return null
  const questionnaire = await getQuestionnaire(db, round.questionnaire_id)
  return {
    round: { name: round.name, opensOn: round.opens_on, closesOn: round.closes_on },
    questionnaireVersion: questionnaire.version,
    pages: printableQuestionnaire(questionnaire.json, locale, null),
  }
}

/**
 * Notifications inside the app (no e-mail): the director sees returned
 * assessments with the reviewers' comments; a reviewer sees the submissions
 * that arrived in their scope since their previous visit.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { listOpenComments } from '../models/comment.server.ts'
import {
  countSubmissionsSince,
  getPreviousVisit,
  listReturnedAssessments,
  listSubmissionsSince,
} from '../models/review.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'

const WEEK_MS = 7 * 24 * 60 * 60 * 1000
const MAX_LISTED = 10

/** Returned assessments of a facility with their open comments, newest first. */
export async function getDirectorNotifications(db: Kysely<Database>, facilityId: number) {
  const returned = await listReturnedAssessments(db, facilityId)
  return Promise.all(
    returned.map(async (a) => ({
      assessmentId: a.id,
      roundName: a.round_name,
      returnedAt: a.updated_at,
      comments: (await listOpenComments(db, a.id))
        .map((c) => ({
          id: c.id,
          question: c.question,
          body: c.body,
          author: c.author,
          at: c.created_at,
        }))
        .reverse(),
    })),
  )
}
export type DirectorNotifications = Awaited<ReturnType<typeof getDirectorNotifications>>

/**
 * Open comments of an assessment grouped by question, for the form page; a
 * general comment is under the key `''`.
 */
export async function getCommentsByQuestion(db: Kysely<Database>, assessmentId: number) {
  const out: Record<string, Array<{ id: number; body: string; author: string; at: string }>> = {}
  for (const c of await listOpenComments(db, assessmentId)) {
    const key = c.question ?? ''
    const list = out[key] ?? []
    list.push({ id: c.id, body: c.body, author: c.author, at: c.created_at })
    out[key] = list
  }
  return out
}

/**
 * The moment a reviewer's "new" starts: their previous visit (the last
 * activity of another session), else seven days before `now`.
 */
export async function getReviewerSince(
  db: Kysely<Database>,
  user: { id: number; sessionIdHash: string },
  now: string,
): Promise<string> {
  const previous = await getPreviousVisit(db, user.id, user.sessionIdHash)
  return previous ?? new Date(Date.parse(now) - WEEK_MS).toISOString()
}

/** Submissions in the reviewer's scope since `since`, newest first (the first ten listed). */
export async function getReviewerNotifications(
  db: Kysely<Database>,
  filter: FacilityFilter,
  since: string,
) {
  const [total, latest] = await Promise.all([
    countSubmissionsSince(db, filter, since),
    listSubmissionsSince(db, filter, since, MAX_LISTED),
  ])
  return {
    since,
    total,
    latest: latest.map((a) => ({
      assessmentId: a.id,
      code: a.code,
      name: a.name,
      submittedAt: a.submitted_at,
    })),
  }
}
export type ReviewerNotifications = Awaited<ReturnType<typeof getReviewerNotifications>>

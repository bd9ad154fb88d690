/** Reviewer comments: what the facility, the reviewer and the notifications show. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

/** Open (unresolved) comments of an assessment with their authors, oldest first. */
export async function listOpenComments(db: Kysely<Database>, assessmentId: number) {
  return db
    .selectFrom('review_comments')
    .innerJoin('users', 'users.id', 'review_comments.author_id')
    .select([
      'review_comments.id',
      'review_comments.question',
      'review_comments.body',
      'review_comments.created_at',
      'users.display_name as author',
    ])
    .where('review_comments.assessment_id', '=', assessmentId)
    .where('review_comments.resolved_at', 'is', null)
    .orderBy('review_comments.id')
    .execute()
}

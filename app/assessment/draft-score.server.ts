/**
 * A draft's declared score, stored after the save that changed it has
 * committed, not inside its write transaction: scoring and storing the
 * explained result (about a millisecond and 14 kB per save) would otherwise
 * hold the database's write lock, and every other request's queries, for
 * longer than the save itself.
 *
 * One job per assessment at a time, coalesced: saves that arrive while a job
 * waits or runs ask for one more run, which scores the answers then stored.
 * Each run reads the stored answers and status in its own transaction, so a
 * slow run can never store the score of older answers over a newer one, and
 * a run that finds the assessment submitted or verified leaves it alone
 * (submit and verification store their score synchronously).
 *
 * The stored draft score may therefore lag the answers by a moment. It is
 * read by the result page and the review lists as a preview of a draft;
 * submitted and verified scores, which the planner ranks, never lag. A
 * process killed with a job waiting leaves that draft's previous score
 * (answers acknowledged are stored either way): `rescoreStaleDrafts` at
 * start-up, and the draft's next save, put it right.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import { getAssessmentById, listStaleDraftScores } from '../models/assessment.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import { decodeAnswers } from '../models/stored-json.server.ts'
import { upsertScore } from '../models/score.server.ts'
import { nowIso } from '../utils/time.server.ts'

interface Job {
  scoringModelId: number
  /** A save committed after this job's run started reading. */
  again: boolean
  done: Promise<void>
}

const jobs = new Map<number, Job>()

/** Scores the draft's stored answers with the model and stores the declared score. */
async function scoreStoredDraft(
  db: Kysely<Database>,
  assessmentId: number,
  scoringModelId: number,
) {
  const model = await getScoringModel(db, scoringModelId)
  await db.transaction().execute(async (trx) => {
    const row = await getAssessmentById(trx, assessmentId)
    if (!row || row.status === 'submitted' || row.status === 'verified') return
    const score = scoreAssessment(model, decodeAnswers(row.answers))
    await upsertScore(trx, {
      assessmentId,
      scoringModelId,
      basis: 'declared',
      score,
      now: nowIso(),
    })
  })
}

/**
 * Asks for the draft's declared score to be stored once the current work
 * yields; returns at once. The promise it returns settles when the score of
 * the answers stored at that moment (or later ones) is stored, for start-up
 * and tests; a save does not wait for it.
 */
export function scheduleDraftScore(
  db: Kysely<Database>,
  assessmentId: number,
  scoringModelId: number,
): Promise<void> {
  const waiting = jobs.get(assessmentId)
  if (waiting) {
    waiting.again = true
    return waiting.done
  }
  const job: Job = { scoringModelId, again: false, done: Promise.resolve() }
  job.done = new Promise<void>((resolve) => {
    const run = () => {
      job.again = false
      scoreStoredDraft(db, assessmentId, job.scoringModelId)
        .catch((error: unknown) => {
          // Derived data: the answers are stored; the next save scores again.
          console.error(`draft score of assessment ${assessmentId} failed:`, error)
        })
        .finally(() => {
          if (job.again) setImmediate(run)
          else {
            jobs.delete(assessmentId)
            resolve()
          }
        })
    }
    setImmediate(run)
  })
  jobs.set(assessmentId, job)
  return job.done
}

/**
 * Stores the score of every draft whose declared score is missing or older
 * than its answers (a process stopped with jobs waiting), one job at a time
 * so the server stays responsive; returns how many were rescored.
 */
export async function rescoreStaleDrafts(db: Kysely<Database>): Promise<number> {
  const stale = await listStaleDraftScores(db)
  for (const row of stale) await scheduleDraftScore(db, row.id, row.scoring_model_id)
  return stale.length
}

/**
 * A draft's declared score, stored after the save that changed it has
 * committed, not inside its write transaction: scoring and storing the
 * explained result (about a millisecond and 14 kB per save) would otherwise
 * hold the database's write lock, and every other request's queries, for
 * longer than the save itself.
 *
 * Saves that come together are scored together: drafts wait in a batch
 * (a draft saved twice is in it once) while other saves are still running
 * (`whileSaving`). A batch runs as soon as no save is running, when it holds
 * BATCH drafts, or HOLD_MS after its first draft, whichever comes first: a
 * director saving alone gets the score just after the save, as before,
 * while 50 saving at once share one commit (a disk sync) per batch, and a
 * draft saved several times while its batch waits is scored once. One batch
 * runs at a time. It scores each draft's stored answers outside any
 * transaction (a millisecond each, with the event loop between them, so
 * saves are never held behind it), then stores the scores in one
 * transaction, re-reading each draft there: one saved again in between is
 * scored again on the answers stored then, so a run never stores older
 * answers' score over newer ones; a draft saved while its batch runs goes
 * into the next batch. A run that finds the assessment submitted or
 * verified leaves it alone (submit and verification store their score
 * synchronously).
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
import { getRoundScoring, type RoundScoring } from '../models/round-scoring.server.ts'
import { decodeAnswers } from '../models/stored-json.server.ts'
import { upsertScore } from '../models/score.server.ts'
import { nowIso } from '../utils/time.server.ts'

/**
 * At most this many drafts are stored per transaction: each commit is a
 * disk sync (synchronous=FULL), so saves that come together are scored
 * together; the scores (about 14 kB each) of more would make one commit
 * long for the saves waiting behind it.
 */
const BATCH = 64

/**
 * The longest a batch waits for saves still running: the score's lag under
 * load, short beside the seconds before anyone opens the result page.
 */
const HOLD_MS = 200

interface Batch {
  /** Assessment id → its round (which gives the model and the gate settings). */
  drafts: Map<number, number>
  done: Promise<void>
  resolve: () => void
  /** Set once the batch is queued to run: it takes no more drafts. */
  started: boolean
  timer: NodeJS.Timeout | undefined
}

/** The batch still taking drafts; null while none is waiting. */
let open: Batch | null = null
/** The batch being scored: at most one at a time, so runs keep the order of saves. */
let running: Promise<void> = Promise.resolve()
/** Saves under way (`whileSaving`); their drafts join the open batch. */
let savesRunning = 0

type StoredDraft = Pick<
  NonNullable<Awaited<ReturnType<typeof getAssessmentById>>>,
  'answers' | 'status'
>

/** The stored answers' score as the round scores; null for one submitted or verified since. */
function scoreStored(row: StoredDraft | undefined, scoring: RoundScoring) {
  if (!row || row.status === 'submitted' || row.status === 'verified') return null
  const score = scoreAssessment(scoring.model, decodeAnswers(row.answers), {
    gateEnabled: scoring.gateEnabled,
  })
  return { answers: row.answers, score }
}

/** Scores each draft's stored answers as its round scores and stores the declared scores. */
async function scoreStoredDrafts(db: Kysely<Database>, drafts: ReadonlyMap<number, number>) {
  const rounds = new Map<number, RoundScoring>()
  for (const id of new Set(drafts.values())) rounds.set(id, await getRoundScoring(db, id))
  const scored = new Map<number, ReturnType<typeof scoreStored>>()
  for (const [assessmentId, roundId] of drafts) {
    const scoring = rounds.get(roundId)
    if (scoring)
      scored.set(assessmentId, scoreStored(await getAssessmentById(db, assessmentId), scoring))
    await new Promise((resolve) => setImmediate(resolve))
  }
  await db.transaction().execute(async (trx) => {
    const now = nowIso()
    for (const [assessmentId, roundId] of drafts) {
      const scoring = rounds.get(roundId)
      if (!scoring) continue
      const row = await getAssessmentById(trx, assessmentId)
      const early = scored.get(assessmentId)
      // Saved again (or submitted) since it was scored above: what is stored now counts.
      const draft =
        early &&
        row &&
        early.answers === row.answers &&
        row.status !== 'submitted' &&
        row.status !== 'verified'
          ? early
          : scoreStored(row, scoring)
      if (!draft) continue
      const scoringModelId = scoring.scoringModelId
      await upsertScore(trx, {
        assessmentId,
        scoringModelId,
        basis: 'declared',
        score: draft.score,
        now,
      })
    }
  })
}

/** Queues the batch to run after the one running now; it takes no more drafts. */
function startBatch(db: Kysely<Database>, batch: Batch) {
  if (batch.started) return
  batch.started = true
  clearTimeout(batch.timer)
  if (open === batch) open = null
  running = running.then(async () => {
    try {
      await scoreStoredDrafts(db, batch.drafts)
    } catch (error) {
      // Derived data: the answers are stored; the next save scores again.
      console.error(
        `draft scores of assessments ${[...batch.drafts.keys()].join(', ')} failed:`,
        error,
      )
    }
    batch.resolve()
  })
}

/**
 * Asks for the draft's declared score to be stored once no save is running
 * (at most HOLD_MS later); returns at once. The promise it returns settles when the score of
 * the answers stored at that moment (or later ones) is stored, for start-up
 * and tests; a save does not wait for it.
 */
export function scheduleDraftScore(
  db: Kysely<Database>,
  assessmentId: number,
  roundId: number,
): Promise<void> {
  const waiting = open
  if (waiting && (waiting.drafts.has(assessmentId) || waiting.drafts.size < BATCH)) {
    waiting.drafts.set(assessmentId, roundId)
    if (waiting.drafts.size === BATCH) startBatch(db, waiting)
    return waiting.done
  }
  let resolve = () => {}
  const done = new Promise<void>((r) => (resolve = r))
  const batch: Batch = {
    drafts: new Map([[assessmentId, roundId]]),
    done,
    resolve,
    started: false,
    timer: undefined,
  }
  open = batch
  batch.timer = setTimeout(() => startBatch(db, batch), HOLD_MS)
  // Alone (no save running, or the only one about to end): once the current work yields.
  setImmediate(() => {
    if (savesRunning === 0) startBatch(db, batch)
  })
  return done
}

/**
 * Runs a save (saveAssessment) so that the drafts of saves under way at the
 * same time wait for each other: the open batch starts once the last of
 * them has ended (or is full, or has waited HOLD_MS).
 */
export async function whileSaving<T>(db: Kysely<Database>, save: () => Promise<T>): Promise<T> {
  savesRunning++
  try {
    return await save()
  } finally {
    savesRunning--
    if (savesRunning === 0 && open) {
      const batch = open
      setImmediate(() => {
        if (savesRunning === 0) startBatch(db, batch)
      })
    }
  }
}

/**
 * Stores the score of every draft whose declared score is missing or older
 * than its answers (a process stopped with drafts waiting), a batch at a
 * time so the server stays responsive; returns how many were rescored.
 */
export async function rescoreStaleDrafts(db: Kysely<Database>): Promise<number> {
  const stale = await listStaleDraftScores(db)
  await Promise.all(stale.map((row) => scheduleDraftScore(db, row.id, row.round_id)))
  return stale.length
}

/**
 * Robustness runs off the request thread.
 *
 * A job runs in the worker thread of the process that accepted it; its state
 * lives in the database (robustness_jobs, 0023), so the planner page and the
 * progress polls may reach any process behind a load balancer. Each job is
 * owned by the user who started it: another user asking for it gets nothing
 * (a 404). A job still open whose process stopped (a restart, a crash) is
 * reported failed once nothing has been written for STALE_MS; that costs a
 * re-run and loses nothing acknowledged: a saved run stores its robustness
 * figures. Finished jobs are kept for an hour.
 *
 * One worker thread per process runs its jobs one after another (FIFO). On
 * the 2-core servers this leaves a core to the request thread, so pages and
 * /healthz keep answering during a 10,000-draw run. The worker is started
 * by engine-worker.server.ts (built, build/robustness-worker.js; from source,
 * with tsx registered in the thread).
 */
import { randomUUID } from 'node:crypto'
import type { Worker } from 'node:worker_threads'
import * as z from 'zod'
import type { RobustnessRequestInput, RobustnessResult } from '../../scoring/robustness.ts'
import type { RobustnessJobStatus } from '../../db/schema.ts'
import {
  deleteRobustnessJobsFinishedBefore,
  getRobustnessJobById,
  insertRobustnessJob,
  listLiveRobustnessJobs,
  updateOpenRobustnessJob,
  type RobustnessJobChange,
  type StoredRobustnessJob,
} from '../models/robustness-job.server.ts'
import { getDb } from '../utils/db.server.ts'
import { startEngineWorker } from './engine-worker.server.ts'
import type { RobustnessJobMessage } from './robustness-worker.ts'

/** Job ids are random UUIDs; anything else is not a job (404). */
export const JobIdSchema = z.uuid()

export type JobStatus = RobustnessJobStatus
export type RobustnessJob = StoredRobustnessJob

const KEEP_MS = 60 * 60 * 1000
/**
 * An open job nothing has been written for in this long is taken as lost
 * with its process: progress is written about ten times a run, and a job
 * waits at most MAX_QUEUED runs of ~16 s before it starts.
 */
export const STALE_MS = 15 * 60 * 1000
const MAX_QUEUED = 20
/** This process's jobs waiting for its worker, and the one it runs. */
const queue: Array<{ jobId: string; message: RobustnessJobMessage }> = []
let worker: Promise<Worker> | null = null
let current: string | null = null
/** Every write of this process's jobs, in order: a progress never lands after its job ended. */
let writes: Promise<void> = Promise.resolve()

type WorkerReply =
  | { type: 'progress'; jobId: string; done: number }
  | { type: 'done'; jobId: string; result: RobustnessResult }
  | { type: 'failed'; jobId: string; error: string }

function record(jobId: string, change: RobustnessJobChange): void {
  const now = Date.now()
  writes = writes
    .then(() => updateOpenRobustnessJob(getDb(), jobId, change, now))
    .catch((error: unknown) => {
      // The job stays open and is reported failed once stale; the user re-runs it.
      console.error(`robustness job ${jobId}: could not record its state`, error)
    })
}

function failCurrent(error: string) {
  if (current) {
    record(current, { status: 'failed', error, finished_at_ms: Date.now() })
    current = null
  }
}

function startWorker(): Promise<Worker> {
  return startEngineWorker<WorkerReply>('robustness-worker', {
    onReply: (reply) => {
      if (reply.type === 'progress') {
        record(reply.jobId, { done: reply.done })
        return
      }
      const now = Date.now()
      record(
        reply.jobId,
        reply.type === 'done'
          ? { status: 'done', result: reply.result, finished_at_ms: now }
          : { status: 'failed', error: reply.error, finished_at_ms: now },
      )
      current = null
      pump()
    },
    onLost: (started, error) => {
      // A replacement may already be running: only the active worker's loss fails its job.
      if (worker !== started) return
      worker = null
      failCurrent(error.message)
      pump()
    },
  })
}

function pump() {
  if (current || queue.length === 0) return
  const next = queue.shift()
  if (!next) return
  current = next.jobId
  record(next.jobId, { status: 'running' })
  worker ??= startWorker()
  const pending = worker
  pending.then(
    (w) => w.postMessage(next.message),
    (error: unknown) => {
      // A worker that never started is forgotten: the next job tries a new one.
      if (worker === pending) worker = null
      failCurrent(error instanceof Error ? error.message : String(error))
      pump()
    },
  )
}

/** The job as users see it: an open job nothing was written for in STALE_MS is lost. */
function asSeen(job: RobustnessJob, now: number): RobustnessJob {
  const open = job.status === 'queued' || job.status === 'running'
  if (!open || now - job.updatedAt <= STALE_MS) return job
  return {
    ...job,
    status: 'failed',
    error: 'the server running this job stopped before it finished',
    finishedAt: job.updatedAt,
  }
}

export type StartJobResult =
  { ok: true; job: { id: string } } | { ok: false; reason: 'busy' | 'queueFull' }

/**
 * Queues a robustness run for the user. The same plan asked again while its
 * job is queued, running or done returns that job; a user has at most one
 * job queued or running, on whichever process.
 */
export async function startRobustnessJob(input: {
  userId: number
  key: string
  request: RobustnessRequestInput
  milp: boolean
}): Promise<StartJobResult> {
  const db = getDb()
  const now = Date.now()
  await deleteRobustnessJobsFinishedBefore(db, now - KEEP_MS)
  const mine = (await listLiveRobustnessJobs(db, input.userId)).filter(
    (j) => j.status === 'done' || now - j.updatedAt <= STALE_MS,
  )
  const same = mine.find((j) => j.key === input.key)
  if (same) return { ok: true, job: { id: same.id } }
  if (mine.some((j) => j.status === 'queued' || j.status === 'running')) {
    return { ok: false, reason: 'busy' }
  }
  if (queue.length >= MAX_QUEUED) return { ok: false, reason: 'queueFull' }
  const total = input.request.draws
  const id = randomUUID()
  await insertRobustnessJob(db, {
    id,
    userId: input.userId,
    key: input.key,
    status: 'queued',
    done: 0,
    total,
    seed: input.request.seed,
    alpha: input.request.alpha ?? 100,
    createdAt: now,
  })
  // About ten progress steps; each slice re-prepares the inputs, so not many more.
  const slice = Math.max(200, Math.ceil(total / 10))
  queue.push({ jobId: id, message: { jobId: id, request: input.request, milp: input.milp, slice } })
  pump()
  return { ok: true, job: { id } }
}

/** The user's own job, or undefined (also for another user's job). */
export async function getRobustnessJob(
  id: string,
  userId: number,
): Promise<RobustnessJob | undefined> {
  const job = await getRobustnessJobById(getDb(), id)
  return job && job.userId === userId ? asSeen(job, Date.now()) : undefined
}

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
 * /healthz keep answering during a 10,000-draw run. Vite does not bundle
 * workers for the SSR build, so `npm run build` compiles the worker on its
 * own (esbuild, build/robustness-worker.js), which the built server starts on
 * plain Node; run from source (`npm run dev`, tests that import this module)
 * the worker is started from its source file with tsx registered in the thread.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
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
  | { type: 'ready' }
  | { type: 'progress'; jobId: string; done: number }
  | { type: 'done'; jobId: string; result: RobustnessResult }
  | { type: 'failed'; jobId: string; error: string }

function isReply(value: unknown): value is WorkerReply {
  return typeof value === 'object' && value !== null && 'type' in value
}

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

/** Run from the build (build/server/index.js) rather than from source (this .ts file). */
const FROM_BUILD = !import.meta.url.endsWith('.ts')

/**
 * The worker's file: built, the compiled worker beside the server build
 * (build/robustness-worker.js, one level above build/server/); from source,
 * the source file two levels below the project root. The working directory
 * is the fallback.
 */
function workerEntry(): string {
  const candidates = FROM_BUILD
    ? [
        fileURLToPath(new URL('../robustness-worker.js', import.meta.url)),
        resolve(process.cwd(), 'build/robustness-worker.js'),
      ]
    : [
        fileURLToPath(new URL('../../app/waves/robustness-worker.ts', import.meta.url)),
        resolve(process.cwd(), 'app/waves/robustness-worker.ts'),
      ]
  const found = candidates.find((path) => existsSync(path))
  if (!found) throw new Error(`the robustness worker is not at ${candidates.join(' or ')}`)
  return pathToFileURL(found).href
}

const TsxManifestSchema = z.object({
  exports: z.object({ './esm/api': z.object({ import: z.object({ default: z.string() }) }) }),
})

/**
 * The ESM entry of `tsx/esm/api`, as an absolute URL, read from tsx's export
 * map. Not `import.meta.resolve`: the test runner that loads the bundled
 * server does not provide it; and `require.resolve` gives the CommonJS build,
 * which cannot register the ESM hooks from an eval'd worker.
 */
function tsxApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json')
  const manifest = TsxManifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')))
  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api'].import.default))
    .href
}

/**
 * The worker from its source file. Worker threads do not inherit tsx's loader
 * hooks on Node 20: register them first. Both imports are absolute: an eval'd
 * worker resolves bare names from the working directory.
 */
function sourceWorker(): Worker {
  const tsx = tsxApiUrl()
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerEntry())}) })`
  return new Worker(bootstrap, { eval: true })
}

function startWorker(): Promise<Worker> {
  // Inside the executor: a missing file rejects (and fails the job) instead of throwing.
  const started: Promise<Worker> = new Promise<Worker>((resolveWorker, reject) => {
    const w = FROM_BUILD ? new Worker(new URL(workerEntry())) : sourceWorker()
    // A job in progress must not keep a stopping server alive.
    w.unref()
    w.on('message', (reply: unknown) => {
      if (!isReply(reply)) return
      if (reply.type === 'ready') {
        resolveWorker(w)
        return
      }
      if (reply.type === 'progress') {
        record(reply.jobId, { done: reply.done })
      } else {
        const now = Date.now()
        record(
          reply.jobId,
          reply.type === 'done'
            ? { status: 'done', result: reply.result, finished_at_ms: now }
            : { status: 'failed', error: reply.error, finished_at_ms: now },
        )
        current = null
        pump()
      }
    })
    w.on('error', (error) => {
      reject(error)
      if (worker === started) failCurrent(error.message)
    })
    w.on('exit', (code) => {
      reject(new Error(`the robustness worker stopped before it was ready (exit code ${code})`))
      // A replacement may already be running: only the active worker's exit fails its job.
      if (worker !== started) return
      worker = null
      failCurrent(`the robustness worker stopped (exit code ${code})`)
      pump()
    })
  })
  return started
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

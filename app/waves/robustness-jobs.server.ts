/**
 * Robustness runs off the request thread.
 *
 * Jobs live in memory (a Map keyed by a random UUID), each owned by the user
 * who started it: another user asking for it gets nothing (a 404). A restart
 * forgets them, which costs a re-run and loses nothing acknowledged: a saved
 * run stores its robustness figures. Finished jobs are kept for an hour.
 *
 * One worker thread runs the jobs one after another (FIFO). On the 2-core
 * servers this leaves a core to the request thread, so pages and /healthz
 * keep answering during a 10,000-draw run. Vite does not bundle workers for
 * the SSR build, so `npm run build` compiles the worker on its own
 * (esbuild, build/robustness-worker.js), which the built server starts on
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
import type { RobustnessJobMessage } from './robustness-worker.ts'

/** Job ids are random UUIDs; anything else is not a job (404). */
export const JobIdSchema = z.uuid()

export type JobStatus = 'queued' | 'running' | 'done' | 'failed'

export interface RobustnessJob {
  id: string
  userId: number
  /** Identifies the plan (parameters, scope and input hash) the draws belong to. */
  key: string
  status: JobStatus
  done: number
  total: number
  seed: number
  alpha: number
  result: RobustnessResult | null
  error: string | null
  createdAt: number
  finishedAt: number | null
}

const KEEP_MS = 60 * 60 * 1000
const MAX_QUEUED = 20
const jobs = new Map<string, RobustnessJob>()
const queue: Array<{ job: RobustnessJob; message: RobustnessJobMessage }> = []
let worker: Promise<Worker> | null = null
let current: RobustnessJob | null = null

type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; jobId: string; done: number }
  | { type: 'done'; jobId: string; result: RobustnessResult }
  | { type: 'failed'; jobId: string; error: string }

function isReply(value: unknown): value is WorkerReply {
  return typeof value === 'object' && value !== null && 'type' in value
}

function failCurrent(error: string) {
  if (current) {
    current.status = 'failed'
    current.error = error
    current.finishedAt = Date.now()
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
      const job = jobs.get(reply.jobId)
      if (!job) return
      if (reply.type === 'progress') {
        job.done = reply.done
      } else {
        job.status = reply.type === 'done' ? 'done' : 'failed'
        job.result = reply.type === 'done' ? reply.result : null
        job.error = reply.type === 'failed' ? reply.error : null
        job.done = reply.type === 'done' ? job.total : job.done
        job.finishedAt = Date.now()
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
  current = next.job
  next.job.status = 'running'
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

function sweep(now: number) {
  for (const [id, job] of jobs) {
    if (job.finishedAt !== null && now - job.finishedAt > KEEP_MS) jobs.delete(id)
  }
}

export type StartJobResult =
  { ok: true; job: RobustnessJob } | { ok: false; reason: 'busy' | 'queueFull' }

/**
 * Queues a robustness run for the user. The same plan asked again while its
 * job is queued, running or done returns that job; a user has at most one
 * job queued or running.
 */
export function startRobustnessJob(input: {
  userId: number
  key: string
  request: RobustnessRequestInput
  milp: boolean
}): StartJobResult {
  const now = Date.now()
  sweep(now)
  const mine = [...jobs.values()].filter((j) => j.userId === input.userId)
  const same = mine.find((j) => j.key === input.key && j.status !== 'failed')
  if (same) return { ok: true, job: same }
  if (mine.some((j) => j.status === 'queued' || j.status === 'running')) {
    return { ok: false, reason: 'busy' }
  }
  if (queue.length >= MAX_QUEUED) return { ok: false, reason: 'queueFull' }
  const total = input.request.draws
  const job: RobustnessJob = {
    id: randomUUID(),
    userId: input.userId,
    key: input.key,
    status: 'queued',
    done: 0,
    total,
    seed: input.request.seed,
    alpha: input.request.alpha ?? 100,
    result: null,
    error: null,
    createdAt: now,
    finishedAt: null,
  }
  jobs.set(job.id, job)
  // About ten progress steps; each slice re-prepares the inputs, so not many more.
  const slice = Math.max(200, Math.ceil(total / 10))
  queue.push({
    job,
    message: { jobId: job.id, request: input.request, milp: input.milp, slice },
  })
  pump()
  return { ok: true, job }
}

/** The user's own job, or undefined (also for another user's job). */
export function getRobustnessJob(id: string, userId: number): RobustnessJob | undefined {
  const job = jobs.get(id)
  return job && job.userId === userId ? job : undefined
}

/**
 * The roadmap's schedules off the request thread: `scheduleRoadmap` runs in
 * one worker thread per process (roadmap-worker.ts), one schedule after
 * another, so a national roadmap with per-facility costs (minutes of HiGHS)
 * leaves pages, saves and /healthz answering. The request that asked waits
 * for its answer; at most MAX_PENDING schedules wait or run at once, and a
 * request beyond that is told to retry (429 with Retry-After) rather than
 * queued behind them. Nothing here is stored: a schedule lost with its worker
 * (a crash) fails its request, which can be asked again.
 */
import type { Worker } from 'node:worker_threads'
import type { RoadmapRequestInput, RoadmapResult } from '../../scoring/roadmap.ts'
import { getI18n } from '../i18n.ts'
import { apiError } from '../utils/api-error.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { startEngineWorker } from './engine-worker.server.ts'
import type { RoadmapWorkerMessage } from './roadmap-worker.ts'

/** Schedules waiting or running in this process's worker. */
export const MAX_PENDING = 8
const RETRY_AFTER_SECONDS = 30

/** More schedules are asked than the worker takes at once. */
export class RoadmapBusyError extends Error {
  constructor() {
    super(`the roadmap worker already has ${MAX_PENDING} schedules to compute`)
    this.name = 'RoadmapBusyError'
  }
}

type WorkerReply =
  | { type: 'done'; id: number; result: RoadmapResult }
  | { type: 'failed'; id: number; error: string }

interface Pending {
  resolve: (result: RoadmapResult) => void
  reject: (error: Error) => void
}

const pending = new Map<number, Pending>()
let nextId = 1
let worker: Promise<Worker> | null = null

/** Every schedule the worker held fails with it: their requests can be asked again. */
function failAll(error: Error) {
  for (const p of pending.values()) p.reject(error)
  pending.clear()
}

function startWorker(): Promise<Worker> {
  return startEngineWorker<WorkerReply>('roadmap-worker', {
    onReply: (reply) => {
      const waiting = pending.get(reply.id)
      pending.delete(reply.id)
      if (!waiting) return
      if (reply.type === 'done') waiting.resolve(reply.result)
      else waiting.reject(new Error(`the roadmap schedule failed: ${reply.error}`))
    },
    onLost: (started, error) => {
      // A replacement may already be running: only the active worker's loss fails its schedules.
      if (worker !== started) return
      worker = null
      failAll(error)
    },
  })
}

/**
 * `scheduleRoadmap(request, highs)` computed in the worker thread. Throws
 * RoadmapBusyError when MAX_PENDING schedules are already asked.
 */
export async function solveRoadmap(request: RoadmapRequestInput): Promise<RoadmapResult> {
  if (pending.size >= MAX_PENDING) throw new RoadmapBusyError()
  const id = nextId++
  const answer = new Promise<RoadmapResult>((resolve, reject) => {
    pending.set(id, { resolve, reject })
  })
  try {
    worker ??= startWorker()
    const w = await worker
    const message: RoadmapWorkerMessage = { id, request }
    w.postMessage(message)
  } catch (error) {
    pending.delete(id)
    worker = null
    throw error
  }
  return answer
}

/**
 * Runs a page's or action's work that computes roadmaps; a busy worker is
 * the contract's 429 with Retry-After and the reason in the reader's
 * language, so the reviewer knows to ask again shortly.
 */
export async function withRoadmapWorker<T>(request: Request, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof RoadmapBusyError)) throw error
    throw apiError(request, 'rate_limited', {
      message: getI18n(getLocale(request)).t('waves:roadmap.busy', {
        seconds: RETRY_AFTER_SECONDS,
      }),
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    })
  }
}

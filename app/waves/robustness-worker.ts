/**
 * Worker thread for robustness runs. It is started by robustness-jobs.server.ts
 * (not from the Vite bundle): compiled by `npm run build` into
 * build/robustness-worker.js for the built server, from this source file with
 * tsx registered in the thread otherwise. It runs one job at a time: the draws in slices, a progress message
 * after each slice, then the merged summary. Only the engine runs here.
 */
import { parentPort } from 'node:worker_threads'
import {
  mergeRobustness,
  runRobustnessDraws,
  summarizeRobustness,
  type RobustnessPartial,
  type RobustnessRequestInput,
} from '../../scoring/robustness.ts'
import { getSolver } from './solver.server.ts'

export interface RobustnessJobMessage {
  jobId: string
  request: RobustnessRequestInput
  /** Load HiGHS: the wave needs the MILP path (tier quotas or unequal costs). */
  milp: boolean
  /** Draws per slice; progress is reported after each. */
  slice: number
}

async function run(message: RobustnessJobMessage) {
  const { jobId, request } = message
  try {
    const highs = message.milp ? await getSolver() : undefined
    const parts: RobustnessPartial[] = []
    for (let start = 0; start < request.draws; start += message.slice) {
      const drawCount = Math.min(message.slice, request.draws - start)
      parts.push(runRobustnessDraws({ ...request, drawStart: start, drawCount }, highs))
      parentPort?.postMessage({ jobId, type: 'progress', done: start + drawCount })
    }
    parentPort?.postMessage({
      jobId,
      type: 'done',
      result: summarizeRobustness(mergeRobustness(parts)),
    })
  } catch (error) {
    parentPort?.postMessage({
      jobId,
      type: 'failed',
      error: error instanceof Error ? error.message : String(error),
    })
  }
}

// One job at a time: the pool hands this worker its next job only after 'done' or 'failed'.
parentPort?.on('message', (message: RobustnessJobMessage) => {
  void run(message)
})
parentPort?.postMessage({ type: 'ready' })

/**
 * Worker thread for the roadmap's schedules, started by
 * roadmap-solve.server.ts through engine-worker.server.ts (built,
 * build/roadmap-worker.js). A national roadmap with per-facility costs is
 * minutes of HiGHS (README, Performance): here it does not hold up the
 * request thread. One schedule at a time, in the order asked: each is
 * synchronous, so messages wait in the thread's own queue. Only the engine
 * runs here.
 */
import { parentPort } from 'node:worker_threads'
import { scheduleRoadmap, type RoadmapRequestInput } from '../../scoring/roadmap.ts'
import { getSolver } from './solver.server.ts'

export interface RoadmapWorkerMessage {
  id: number
  request: RoadmapRequestInput
}

async function run({ id, request }: RoadmapWorkerMessage) {
  try {
    const result = scheduleRoadmap(request, await getSolver())
    parentPort?.postMessage({ id, type: 'done', result })
  } catch (error) {
    parentPort?.postMessage({
      id,
      type: 'failed',
      error: error instanceof Error ? error.message : String(error),
    })
  }
}

parentPort?.on('message', (message: RoadmapWorkerMessage) => {
  void run(message)
})
parentPort?.postMessage({ type: 'ready' })

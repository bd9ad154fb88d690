/**
 * Worker thread for the bench, shaped like an app worker pool: it starts,
 * says it is ready, then runs one slice of robustness draws per message.
 */
import { performance } from 'node:perf_hooks'
import { parentPort } from 'node:worker_threads'
import { runRobustnessDraws, type RobustnessRequestInput } from '../../scoring/robustness.ts'

parentPort?.on('message', (request: RobustnessRequestInput) => {
  const t0 = performance.now()
  const partial = runRobustnessDraws(request)
  parentPort?.postMessage({ partial, ms: performance.now() - t0 })
})
parentPort?.postMessage('ready')

/**
 * Starting the engine's worker threads (the robustness draws, the roadmap's
 * schedules). Vite does not bundle workers for the SSR build, so
 * `npm run build` compiles each worker on its own (esbuild, build/NAME.js),
 * which the built server starts on plain Node; run from source (`npm run
 * dev`, tests that import the modules) a worker is started from its source
 * file (app/waves/NAME.ts) with tsx registered in the thread.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import * as z from 'zod'

export type EngineWorkerName = 'robustness-worker' | 'roadmap-worker'

/** Run from the build (build/server/index.js) rather than from source (this .ts file). */
const FROM_BUILD = !import.meta.url.endsWith('.ts')

/**
 * The worker's file: built, the compiled worker beside the server build
 * (build/NAME.js, one level above build/server/); from source, the source
 * file beside this one. The working directory is the fallback.
 */
function workerEntry(name: EngineWorkerName): string {
  const candidates = FROM_BUILD
    ? [
        fileURLToPath(new URL(`../${name}.js`, import.meta.url)),
        resolve(process.cwd(), `build/${name}.js`),
      ]
    : [
        fileURLToPath(new URL(`./${name}.ts`, import.meta.url)),
        resolve(process.cwd(), `app/waves/${name}.ts`),
      ]
  const found = candidates.find((path) => existsSync(path))
  if (!found) throw new Error(`the ${name} is not at ${candidates.join(' or ')}`)
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
 * A new worker thread running the named worker. From source, worker threads
 * do not inherit tsx's loader hooks on Node 20: they are registered first.
 * Both imports are absolute: an eval'd worker resolves bare names from the
 * working directory. Throws when the worker's file is missing.
 */
export function newEngineWorker(name: EngineWorkerName): Worker {
  if (FROM_BUILD) return new Worker(new URL(workerEntry(name)))
  const tsx = tsxApiUrl()
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerEntry(name))}) })`
  return new Worker(bootstrap, { eval: true })
}

/**
 * Starts the named worker and resolves once it says `ready`; its other
 * replies go to `onReply`. `onLost` hears when the worker fails or stops
 * (with the promise this call returned, so the caller can tell whether it
 * is still the worker it uses) and before `ready` the promise rejects too:
 * a missing file rejects instead of throwing. The worker is unref'd: work
 * in progress must not keep a stopping server alive.
 */
export function startEngineWorker<Reply extends { type: string }>(
  name: EngineWorkerName,
  handlers: {
    onReply: (reply: Reply) => void
    onLost: (started: Promise<Worker>, reason: Error) => void
  },
): Promise<Worker> {
  const started: Promise<Worker> = new Promise<Worker>((resolveWorker, reject) => {
    const w = newEngineWorker(name)
    w.unref()
    w.on('message', (reply: unknown) => {
      if (typeof reply !== 'object' || reply === null || !('type' in reply)) return
      if (reply.type === 'ready') resolveWorker(w)
      else handlers.onReply(reply as Reply)
    })
    w.on('error', (error) => {
      reject(error)
      handlers.onLost(started, error)
    })
    w.on('exit', (code) => {
      const error = new Error(`the ${name} stopped (exit code ${code})`)
      reject(error)
      handlers.onLost(started, error)
    })
  })
  return started
}

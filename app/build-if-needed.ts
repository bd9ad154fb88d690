/**
 * `tsx app/build-if-needed.ts`: builds the app when there is no build or a
 * source changed since (a fresh clone, a pull), so that `npm start` is one
 * command. Run by the start scripts before the server, which is itself part
 * of the build (build/server-start.js) and so cannot rebuild itself.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = new URL('../', import.meta.url)
/** Written last by `npm run build`: older than a source means a build is due. */
const BUILT = new URL('build/server-start.js', ROOT)
const SOURCES = ['app', 'db', 'public', 'vite.config.ts', 'package.json', 'package-lock.json']

/** Newest modification time of any file under `dir` (recursively). */
function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

function buildIfNeeded(): void {
  const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0
  const changed = Math.max(
    ...SOURCES.map((p) => new URL(p, ROOT).pathname).map((p) =>
      !existsSync(p) ? 0 : statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs,
    ),
  )
  if (built > changed) return
  console.info('building the app (sources changed or no build yet)…')
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT.pathname, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error('the build failed; see the output above')
    process.exit(1)
  }
}

buildIfNeeded()

/**
 * Runs every tests/bench/*-bench.ts in sequence, each in its own tsx child
 * process (a clean heap per bench, so memory figures do not leak across).
 * Usage: npm run bench
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = dirname(fileURLToPath(import.meta.url))
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('-bench.ts'))
  .sort()
let failed = 0
for (const file of benches) {
  console.info(`\n▶ ${file}`)
  // The same young-generation size as `npm start` and `npm run serve` give the server.
  const result = spawnSync(
    process.execPath,
    ['--max-semi-space-size=32', '--import', 'tsx', join(dir, file)],
    {
      stdio: 'inherit',
    },
  )
  if (result.status !== 0) failed++
}
if (failed > 0) {
  console.error(`${failed} bench(es) failed`)
  process.exit(1)
}

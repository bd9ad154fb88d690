/**
 * The server's memory through a national reviewer's session (issue #17: "idle
 * server under 200 MB, peak under 500 MB through the bench's scenario"),
 * against the bare server's:
 * - app: the compiled server (build/server-start.js) started as
 *   `npm run serve` starts it, on a SQLite file with the 13,000-facility
 *   national dataset (national-database.ts) and one ministry reviewer;
 * - bare: node:http + better-sqlite3 on the same file (bare-heartbeat-server.ts).
 * Idle is the resident memory once the start-up warm-up has said it is done
 * (its log line) and a few seconds have passed with nothing asked. The
 * scenario is then what issue #17 measured at ~1 GB: 40 views of the wave
 * planner, each with new parameters (capacity, budget, minimum level, basis,
 * objective and province quotas vary, so every view builds a new plan), and
 * 10 CSV and 10 XLSX exports of the national ranking (within the export
 * limit of 30 a minute). Memory is sampled from /proc every 50 ms; the peak is
 * the kernel's high-water mark (VmHWM), which no sample can miss.
 * Targets: idle < 200 MB, peak < 500 MB; reported, never asserted.
 * Needs `npm run build`. Run: npx tsx tests/bench/server-memory-bench.ts
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { hashPassword } from '../../app/utils/password.server.ts'
import { TestClient } from '../support/http.ts'
import { freePort, SERVER_ENTRY } from '../support/server-process.ts'
import { BARE_HEARTBEAT_SERVER } from './bare-heartbeat-server.ts'
import { buildNationalDatabase } from './national-database.ts'
import { peakRssMb, rssMb } from './process-memory.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const dbPath = join(tmpdir(), `sansang-memory-bench-${process.pid}.sqlite`)
const LOGIN = 'bench.ministry'
const IDLE_SETTLE_MS = 5_000
const VIEWS = 40
const EXPORTS = 10

/** Every server this run started, killed at the end whatever happened. */
const children: ChildProcess[] = []

interface Started {
  child: ChildProcess
  origin: string
  /** Resolves with the warm-up's log line (the app), or at once (bare). */
  warm: Promise<string>
}

async function start(args: string[], warmLine: RegExp | null): Promise<Started> {
  const port = await freePort()
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_PATH: dbPath,
      // The bench's ministry reviewer signs in with a password alone: a second factor is
      // what sign-in asks, not what the planner's memory depends on.
      MFA_REQUIRED_ROLES: 'admin',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  const warm = new Promise<string>((resolve, reject) => {
    if (warmLine === null) resolve('')
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const line = out.split('\n').find((l) => warmLine?.test(l))
      if (line !== undefined) resolve(line)
    })
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before warming up`)))
  })
  const origin = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('no /healthz answer')
    await new Promise((r) => setTimeout(r, 50))
  }
  return { child, origin, warm }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  return exited
}

/** Parameters of view `i`: every view differs from the others in what the plan depends on. */
function viewQuery(roundId: number, i: number): string {
  const params = new URLSearchParams({
    round: String(roundId),
    capacity: String(100 + 7 * i),
    budgetBn: String(1000 + 25 * i),
    minLevel: i % 4 === 0 ? 'R1' : 'R2',
    basis: i % 5 === 4 ? 'verified' : 'declared',
    objective: i % 3 === 2 ? 'weighted' : 'readiness',
  })
  if (i % 2 === 1) params.set('provinceMin', String(1 + (i % 3)))
  return params.toString()
}

async function fetchAll(
  client: TestClient,
  path: string,
): Promise<{ status: number; bytes: number }> {
  const response = await client.request(path)
  const body = await response.arrayBuffer()
  return { status: response.status, bytes: body.byteLength }
}

async function main() {
  const built = await buildNationalDatabase(dbPath)
  const now = new Date().toISOString()
  await built.db
    .insertInto('users')
    .values({
      login: LOGIN,
      search_key: LOGIN,
      display_name: 'Bench ministry reviewer',
      role: 'ministry_reviewer',
      facility_id: null,
      province_code: null,
      password_hash: await hashPassword(DEMO_PASSWORD),
      disabled: 0,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const roundId = built.roundId
  await built.db.destroy()

  const rows: Array<[string, string]> = []
  const bare = await start(['--input-type=module', '-e', BARE_HEARTBEAT_SERVER], null)
  await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS))
  const bareIdle = rssMb(bare.child.pid)
  await stop(bare.child)

  const started = performance.now()
  const app = await start(
    ['--max-semi-space-size=32', SERVER_ENTRY],
    /stored scores ready for the wave planner/,
  )
  const warmLine = await app.warm
  const warmS = (performance.now() - started) / 1000
  await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS))
  const idle = rssMb(app.child.pid)
  const idlePeak = peakRssMb(app.child.pid)

  const client = new TestClient(app.origin)
  const signedIn = await client.signIn(LOGIN)
  if (signedIn.status !== 302 || client.cookie === null) {
    throw new Error(`sign-in of ${LOGIN}: ${signedIn.status}`)
  }
  let sampledMax = 0
  const sampler = setInterval(() => {
    sampledMax = Math.max(sampledMax, rssMb(app.child.pid))
  }, 50)
  const load0 = loadavg()[0] ?? 0
  const t0 = performance.now()
  let viewMs = 0
  for (let i = 0; i < VIEWS; i++) {
    const v0 = performance.now()
    const r = await fetchAll(client, `/waves?${viewQuery(roundId, i)}`)
    viewMs += performance.now() - v0
    if (r.status !== 200) throw new Error(`view ${i}: ${r.status}`)
  }
  const afterViews = rssMb(app.child.pid)
  let exportBytes = 0
  for (let i = 0; i < EXPORTS; i++) {
    for (const kind of ['csv', 'xlsx']) {
      const r = await fetchAll(client, `/waves/export.${kind}?${viewQuery(roundId, i)}`)
      if (r.status !== 200) throw new Error(`${kind} export ${i}: ${r.status}`)
      exportBytes += r.bytes
    }
  }
  const scenarioS = (performance.now() - t0) / 1000
  clearInterval(sampler)
  const afterAll = rssMb(app.child.pid)
  const peak = peakRssMb(app.child.pid)
  const load1 = loadavg()[0] ?? 0
  await stop(app.child)

  const mb = (n: number) => `${n.toFixed(0)} MB`
  rows.push(
    ['bare server, idle', mb(bareIdle)],
    ['app, idle after the warm-up', `${mb(idle)} (target < 200 MB ${idle < 200 ? '✓' : '✗'})`],
    ['app, peak during the warm-up', mb(idlePeak)],
    [`app, after ${VIEWS} planner views`, mb(afterViews)],
    [`app, after ${2 * EXPORTS} exports`, mb(afterAll)],
    [
      'app, peak through the scenario (VmHWM)',
      `${mb(peak)} (target < 500 MB ${peak < 500 ? '✓' : '✗'}; sampled max ${mb(sampledMax)})`,
    ],
  )
  console.info(`warm-up: ${warmLine.trim()} (${warmS.toFixed(1)} s after start)`)
  console.info(
    `scenario: ${VIEWS} views (mean ${(viewMs / VIEWS).toFixed(0)} ms), ${2 * EXPORTS} exports ` +
      `(${(exportBytes / 1e6).toFixed(1)} MB) in ${scenarioS.toFixed(1)} s; ` +
      `load average ${load0.toFixed(2)} → ${load1.toFixed(2)}`,
  )
  const width = Math.max(...rows.map(([k]) => k.length))
  for (const [k, v] of rows) console.info(`${k.padEnd(width)}  ${v}`)
}

try {
  await main()
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true })
  rmSync(`${dbPath}.evidence`, { recursive: true, force: true })
}

/**
 * Autosave at 50 concurrent clients: the production server
 * (build/server-start.js, as `npm run serve` starts it) on SQLite against the
 * limit, a bare node:http + better-sqlite3 server doing the same transaction
 * (bare-autosave-server.ts), then the same two on PostgreSQL: the production
 * server with DATABASE_URL naming a database seeded as the test template is,
 * and the bare server with pg, on the server tests/support/postgres-server.ts
 * gives (TEST_DATABASE_URL or a throw-away cluster, fsync on); measured
 * A B C D A B C D in the same run;
 * without a PostgreSQL server its rows are left out and the reason printed. Each server
 * runs on its own copy of the seeded database with 50 director accounts
 * added for 50 facilities whose assessment in the open round is a draft (or
 * not begun; the demo data has few of those); 50
 * clients, one per director (signed in through /login on the app), each save
 * right after the previous answer: valid changes, the version from the
 * previous answer as baseVersion. Prints saves/s, p50, p99, refused saves,
 * the load average and the app's peak memory (RSS). Targets: ≥ 50 % of the
 * bare throughput and p99 < 50 ms; reported, never asserted.
 * The PostgreSQL server's own processes are not in the app's memory figure.
 * Run: npm run build && npx tsx tests/bench/autosave-bench.ts
 * Options (for profiling; `npm run bench` passes none): `--sqlite-only`
 * (no PostgreSQL phases), `--seconds=N` (N s measured per phase instead of
 * 10), `--cpu-prof=DIR` (the app on SQLite runs under `node --cpu-prof` and
 * writes its profile into DIR when the bench stops it).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pg from 'pg'
import { openConfigured, type DatabaseSettings } from '../../db/client.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { hashPassword } from '../../app/utils/password.server.ts'
import { TestClient } from '../support/http.ts'
import {
  databaseUrl,
  postgresUnavailable,
  startPostgres,
  type PostgresServer,
} from '../support/postgres-server.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { buildPostgresTemplate, buildTemplateDatabase } from '../support/test-db.ts'
import { rssMb } from './process-memory.ts'

const CLIENTS = 50
const WARM_MS = 2_000
const option = (name: string) =>
  process.argv
    .slice(2)
    .find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
    ?.replace(/^[^=]*=?/, '')
const seconds = option('seconds')
const MEASURE_MS = seconds ? Number(seconds) * 1000 : 10_000
if (!Number.isFinite(MEASURE_MS) || MEASURE_MS <= 0) throw new Error(`--seconds=${seconds}?`)
const SQLITE_ONLY = option('sqlite-only') !== undefined
const CPU_PROFILE_DIR = option('cpu-prof')
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const work = join(tmpdir(), `sansang-autosave-bench-${process.pid}`)
const template = `${work}-template.sqlite`
const appDb = `${work}-app.sqlite`
const bareDb = `${work}-bare.sqlite`
/** Where the app on PostgreSQL keeps its evidence files (its data is in the database). */
const pgEvidenceBase = `${work}-pg`
const PG_DATABASES = {
  template: `sansang_bench_autosave_${process.pid}`,
  app: `sansang_bench_autosave_${process.pid}_app`,
  bare: `sansang_bench_autosave_${process.pid}_bare`,
}

/** The bench's databases, whatever happened. */
function removeFiles() {
  for (const path of [template, appDb, bareDb]) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
  }
  rmSync(`${appDb}.evidence`, { recursive: true, force: true })
  rmSync(`${pgEvidenceBase}.evidence`, { recursive: true, force: true })
}

interface Director {
  login: string
  userId: number
  /** The version of the facility's assessment in the round; 0 when it has none yet. */
  version: number
}

/** 50 directors for 50 facilities whose assessment in the open round can still be edited. */
async function addDirectors(
  settings: DatabaseSettings,
): Promise<{ roundId: number; directors: Director[] }> {
  const { db } = openConfigured(settings)
  const round = await db
    .selectFrom('rounds')
    .select('id')
    .orderBy('opens_on', 'desc')
    .executeTakeFirstOrThrow()
  // Facilities whose assessment in the round is still editable (or not begun), with its version.
  const facilities = await db
    .selectFrom('facilities')
    .leftJoin('assessments', (join) =>
      join
        .onRef('assessments.facility_id', '=', 'facilities.id')
        .on('assessments.round_id', '=', round.id),
    )
    .select(['facilities.id', 'assessments.version'])
    .where((eb) =>
      eb.or([
        eb('assessments.id', 'is', null),
        eb('assessments.status', 'in', ['draft', 'returned']),
      ]),
    )
    .orderBy('facilities.id')
    .limit(CLIENTS)
    .execute()
  if (facilities.length < CLIENTS) throw new Error(`only ${facilities.length} free facilities`)
  const hash = await hashPassword(DEMO_PASSWORD)
  const now = new Date().toISOString()
  const directors: Director[] = []
  for (const [i, f] of facilities.entries()) {
    const login = `bench.director.${i}`
    const user = await db
      .insertInto('users')
      .values({
        login,
        search_key: login,
        display_name: `Bench director ${i}`,
        role: 'director',
        facility_id: f.id,
        province_code: null,
        password_hash: hash,
        disabled: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    directors.push({ login, userId: user.id, version: f.version ?? 0 })
  }
  await db.destroy()
  return { roundId: round.id, directors }
}

interface Target {
  name: string
  origin: string
  cookies: string[]
  /** The version each client last saw, kept across the phases. */
  versions: number[]
  child: ChildProcess
  peakRssMb: number
}

function post(agent: Agent, origin: string, cookie: string, body: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      `${origin}/assessment/save`,
      {
        method: 'POST',
        agent,
        headers: {
          cookie,
          origin,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** One phase: 50 clients saving in a loop for WARM_MS + MEASURE_MS, timed after the warm-up. */
async function phase(target: Target, roundId: number, step: { n: number }) {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS })
  const latencies: number[] = []
  let refused = 0
  const start = performance.now()
  const measureFrom = start + WARM_MS
  const end = measureFrom + MEASURE_MS
  const load = loadavg()[0] ?? 0
  const memory = setInterval(() => {
    target.peakRssMb = Math.max(target.peakRssMb, rssMb(target.child.pid))
  }, 250)
  await Promise.all(
    target.cookies.map(async (cookie, i) => {
      while (performance.now() < end) {
        // Every save is a real change: a count that moves on, and a second answer now and then.
        const value = (step.n++ % 150) + 1
        const changes: Record<string, unknown> =
          value % 5 === 0
            ? { it_staff_fte: value, key_users_pct: value % 100 }
            : { it_staff_fte: value }
        const body = JSON.stringify({
          roundId,
          baseVersion: target.versions[i] ?? 0,
          changes,
          currentPage: 1,
        })
        const t0 = performance.now()
        const r = await post(agent, target.origin, cookie, body)
        const t1 = performance.now()
        if (r.status === 200) {
          target.versions[i] = (JSON.parse(r.text) as { version: number }).version
        } else {
          refused++
          if (refused <= 3) console.warn(`${target.name}: ${r.status} ${r.text.slice(0, 200)}`)
        }
        if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0)
      }
    }),
  )
  clearInterval(memory)
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
  return {
    savesPerSecond: latencies.length / (MEASURE_MS / 1000),
    p50: at(0.5),
    p99: at(0.99),
    refused,
    load,
  }
}

/** Starts the bare server; resolves with it and the port it printed. */
async function startBare(database: string): Promise<{ child: ChildProcess; origin: string }> {
  const tsxLoader = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, join(ROOT, 'tests/bench/bare-autosave-server.ts'), database],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = /^(\d+)\n/.exec(out)
      if (line) resolve(Number(line[1]))
    })
    child.once('exit', () => reject(new Error('the bare server exited before listening')))
  })
  return { child, origin: `http://127.0.0.1:${port}` }
}

async function main() {
  if (!existsSync(join(ROOT, 'build/server/index.js'))) {
    throw new Error('no build: run `npm run build` first')
  }
  await buildTemplateDatabase(template)
  copyFileSync(template, appDb)
  copyFileSync(template, bareDb)
  const { roundId, directors } = await addDirectors({ DATABASE_PATH: appDb })
  await addDirectors({ DATABASE_PATH: bareDb })

  // The PostgreSQL copy: migrated and seeded as the test template is, the same 50 directors.
  const pgUnavailable = SQLITE_ONLY ? 'left out (--sqlite-only)' : postgresUnavailable()
  let pgServer: PostgresServer | null = null
  let pgDirectors: Director[] | null = null
  let pgUrls: { app: string; bare: string } | null = null
  if (pgUnavailable === undefined) {
    pgServer = await startPostgres()
    await buildPostgresTemplate(pgServer.url, PG_DATABASES.template)
    const added = await addDirectors({
      DATABASE_URL: databaseUrl(pgServer.url, PG_DATABASES.template),
      DATABASE_PATH: pgEvidenceBase,
    })
    if (added.roundId !== roundId) throw new Error('the PostgreSQL copy has another open round')
    pgDirectors = added.directors
    // One copy each for the app and the bare server, as on SQLite.
    await onPostgres(
      pgServer.url,
      `CREATE DATABASE ${PG_DATABASES.app} TEMPLATE ${PG_DATABASES.template}`,
    )
    await onPostgres(
      pgServer.url,
      `CREATE DATABASE ${PG_DATABASES.bare} TEMPLATE ${PG_DATABASES.template}`,
    )
    pgUrls = {
      app: databaseUrl(pgServer.url, PG_DATABASES.app),
      bare: databaseUrl(pgServer.url, PG_DATABASES.bare),
    }
  }

  const app = await spawnAppServer()
  let appPg: ServerProcess | null = null
  let bareChild: ChildProcess | null = null
  let barePgChild: ChildProcess | null = null
  const targets: Target[] = []
  try {
    const bare = await startBare(bareDb)
    bareChild = bare.child
    targets.push(
      {
        name: 'app',
        origin: app.origin,
        cookies: await signIn(app.origin, directors),
        versions: directors.map((d) => d.version),
        child: app.child,
        peakRssMb: 0,
      },
      {
        name: 'bare',
        origin: bare.origin,
        cookies: directors.map((d) => `u=${d.userId}`),
        versions: directors.map((d) => d.version),
        child: bareChild,
        peakRssMb: 0,
      },
    )
    if (pgUrls !== null && pgDirectors !== null) {
      appPg = await spawnServer({ dbPath: pgEvidenceBase, databaseUrl: pgUrls.app })
      const barePg = await startBare(pgUrls.bare)
      barePgChild = barePg.child
      targets.push(
        {
          name: 'app on PostgreSQL',
          origin: appPg.origin,
          cookies: await signIn(appPg.origin, pgDirectors),
          versions: pgDirectors.map((d) => d.version),
          child: appPg.child,
          peakRssMb: 0,
        },
        {
          name: 'bare on PostgreSQL',
          origin: barePg.origin,
          cookies: pgDirectors.map((d) => `u=${d.userId}`),
          versions: pgDirectors.map((d) => d.version),
          child: barePgChild,
          peakRssMb: 0,
        },
      )
    }
    const idleRss = rssMb(app.child.pid)
    const idleRssPg = appPg === null ? null : rssMb(appPg.child.pid)
    const step = { n: 0 }
    const rows: Array<{ name: string } & Awaited<ReturnType<typeof phase>>> = []
    for (const target of [...targets, ...targets]) {
      if (!target) continue
      rows.push({ name: target.name, ...(await phase(target, roundId, step)) })
    }
    const ms = (x: number) => `${x.toFixed(1)} ms`
    console.info(
      `\nAutosave, ${CLIENTS} concurrent clients, ${MEASURE_MS / 1000} s per phase, ${targets.length === 4 ? 'A B C D A B C D' : 'A B A B'}`,
    )
    // A markdown table, as README's Performance section shows it.
    console.info('| Server | Saves/s | p50 | p99 | Refused | Load avg (1 min) |')
    console.info('|---|---:|---:|---:|---:|---:|')
    for (const r of rows) {
      console.info(
        `| ${r.name} | ${r.savesPerSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.refused} | ${r.load.toFixed(2)} |`,
      )
    }
    const mean = (name: string, key: 'savesPerSecond' | 'p99') => {
      const mine = rows.filter((r) => r.name === name)
      return mine.reduce((s, r) => s + r[key], 0) / mine.length
    }
    if (pgUnavailable !== undefined) {
      console.info(`app on PostgreSQL: no figures — ${pgUnavailable}`)
    }
    const ratio = mean('app', 'savesPerSecond') / mean('bare', 'savesPerSecond')
    const p99 = Math.max(...rows.filter((r) => r.name === 'app').map((r) => r[`p99`]))
    console.info(
      `app / bare throughput: ${(ratio * 100).toFixed(0)} % (target ≥ 50 %) ${ratio >= 0.5 ? '✓' : '✗'}; ` +
        `app p99 (worst phase): ${ms(p99)} (target < 50 ms) ${p99 < 50 ? '✓' : '✗'}`,
    )
    console.info(
      `app memory: ${idleRss.toFixed(0)} MB before the saves, peak ${targets[0]?.peakRssMb.toFixed(0)} MB during them; ` +
        `bare peak ${targets[1]?.peakRssMb.toFixed(0)} MB`,
    )
    const pg = targets[2]
    const barePgTarget = targets[3]
    if (pg !== undefined && barePgTarget !== undefined && idleRssPg !== null) {
      const pgP99 = Math.max(...rows.filter((r) => r.name === pg.name).map((r) => r.p99))
      const pgRatio = mean(pg.name, 'savesPerSecond') / mean('app', 'savesPerSecond')
      const pgBareRatio =
        mean(pg.name, 'savesPerSecond') / mean(barePgTarget.name, 'savesPerSecond')
      console.info(
        `app on PostgreSQL / bare on PostgreSQL throughput: ${(pgBareRatio * 100).toFixed(0)} % (target ≥ 50 %) ${pgBareRatio >= 0.5 ? '✓' : '✗'}; ` +
          `app on PostgreSQL / app on SQLite: ${(pgRatio * 100).toFixed(0)} %; ` +
          `p99 (worst phase) ${ms(pgP99)} (target < 50 ms) ${pgP99 < 50 ? '✓' : '✗'}; ` +
          `memory ${idleRssPg.toFixed(0)} MB before the saves, peak ${pg.peakRssMb.toFixed(0)} MB ` +
          `(the PostgreSQL server's processes not included)`,
      )
    }
  } finally {
    // A profiled server writes its profile on a clean exit (see spawnAppServer).
    if (CPU_PROFILE_DIR) app.child.kill('SIGTERM')
    else app.kill()
    appPg?.kill()
    bareChild?.kill('SIGKILL')
    barePgChild?.kill('SIGKILL')
    await app.exited
    await appPg?.exited
    if (pgServer !== null) {
      for (const database of Object.values(PG_DATABASES)) {
        await onPostgres(pgServer.url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      }
      pgServer.stop()
    }
  }
}

/**
 * The app on SQLite; with --cpu-prof, under Node's profiler. The profile is
 * written at a clean exit only, so the server is also told to exit on SIGTERM
 * (it has no handler of its own: production stops it with SIGKILL or SIGTERM's default).
 */
async function spawnAppServer(): Promise<ServerProcess> {
  if (!CPU_PROFILE_DIR) return spawnServer({ dbPath: appDb })
  return spawnServer({
    dbPath: appDb,
    nodeArgs: [
      '--cpu-prof',
      `--cpu-prof-dir=${CPU_PROFILE_DIR}`,
      "--import=data:text/javascript,process.on('SIGTERM',()=>process.exit(0))",
    ],
  })
}

/** Signs each director in through /login; their session cookies. */
async function signIn(origin: string, directors: Director[]): Promise<string[]> {
  const cookies: string[] = []
  for (const d of directors) {
    const client = new TestClient(origin)
    const r = await client.signIn(d.login)
    if (r.status !== 302 || !client.cookie) throw new Error(`sign-in of ${d.login}: ${r.status}`)
    cookies.push(client.cookie)
  }
  return cookies
}

/** One statement on the server (making and dropping the bench's databases: a server named by TEST_DATABASE_URL outlives the run). */
async function onPostgres(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

try {
  await main()
} finally {
  removeFiles()
}

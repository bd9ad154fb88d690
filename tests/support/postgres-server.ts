/**
 * A PostgreSQL server for tests and benchmarks. `TEST_DATABASE_URL` names one
 * (a role that may create databases); without it a throw-away cluster is
 * started from Debian's `postgresql` package: initdb into a temporary folder,
 * a free port on loopback, trust authentication, removed when stopped.
 *
 * initdb refuses to run as root, so as root the cluster is made and run as
 * the `postgres` user the package creates.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface PostgresServer {
  /** A URL of the server's `postgres` database, as a role that may create databases. */
  url: string
  /** Stops a cluster this module started; a server named by TEST_DATABASE_URL is left running. */
  stop(): void
}

const PACKAGE_ROOT = '/usr/lib/postgresql'

/** The newest installed server's bin folder, or undefined when none is installed. */
export function postgresBinaries(): string | undefined {
  if (!existsSync(PACKAGE_ROOT)) return undefined
  const versions = readdirSync(PACKAGE_ROOT)
    .filter((name) => existsSync(join(PACKAGE_ROOT, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(PACKAGE_ROOT, versions[0], 'bin')
}

/** Why no PostgreSQL can be had here, or undefined when one can. */
export function postgresUnavailable(): string | undefined {
  if (process.env.TEST_DATABASE_URL) return undefined
  if (postgresBinaries() === undefined)
    return `no PostgreSQL server: install Debian's postgresql package or set TEST_DATABASE_URL`
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root and no postgres user to run initdb as'
  return undefined
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

/**
 * Starts (or names) the server. `durable: false` turns off fsync for tests,
 * where the server itself is never killed (a killed application process
 * still loses nothing the server acknowledged); benchmarks keep the defaults.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresServer> {
  const named = process.env.TEST_DATABASE_URL
  if (named) return { url: named, stop: () => {} }
  const unavailable = postgresUnavailable()
  if (unavailable !== undefined) throw new Error(unavailable)
  const bin = postgresBinaries() as string
  const asRoot = process.getuid?.() === 0
  const run = (program: string, args: string[]): void => {
    const command = join(bin, program)
    if (asRoot)
      execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' })
    else execFileSync(command, args, { stdio: 'pipe' })
  }

  const dir = mkdtempSync(join(tmpdir(), 'sansang-pg-'))
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'])
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    `-c max_connections=200`,
    ...(options.durable === false
      ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']
      : []),
  ]
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '120',
    '-o',
    settings.join(' '),
    'start',
  ])
  let stopped = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return
      stopped = true
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

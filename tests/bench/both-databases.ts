/**
 * Runs one bench on each database, SQLite and PostgreSQL, each in its own
 * child process (a clean heap, and no cache of the app's kept over from the
 * other database), and prints their figures side by side. The parent makes
 * the databases: a temporary SQLite file, and an empty database on a
 * PostgreSQL server (TEST_DATABASE_URL, or a throw-away cluster from Debian's
 * postgresql package, durable as in production: fsync on). Without a server
 * the PostgreSQL column is empty and says why; that is not a failure.
 *
 * The child is the same bench file, started with SANSANG_BENCH_DATABASE (the
 * database, as JSON) and SANSANG_BENCH_RESULT (where its rows go).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import * as z from 'zod'
import { databaseUrl, postgresUnavailable, startPostgres } from '../support/postgres-server.ts'
import { BenchTable, printSideBySide, type BenchColumn } from './bench-table.ts'

const BenchDatabaseSchema = z.discriminatedUnion('dialect', [
  z.strictObject({ dialect: z.literal('sqlite'), path: z.string().min(1) }),
  z.strictObject({ dialect: z.literal('postgres'), url: z.string().min(1) }),
])
export type BenchDatabase = z.infer<typeof BenchDatabaseSchema>

const BenchRowsSchema = z.array(
  z.strictObject({
    step: z.string(),
    time: z.string(),
    cpu: z.string(),
    target: z.string(),
    heap: z.string(),
    rss: z.string(),
  }),
)

const load = () => (loadavg()[0] ?? 0).toFixed(2)

/** One child run of the bench on `database`; its rows, or why there are none. */
function runChild(
  entry: string,
  database: BenchDatabase,
  resultPath: string,
  failures: string[],
): BenchColumn {
  const name = database.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'
  console.info(`\n— ${name} (load average at the start: ${load()}) —`)
  // The same young-generation size as `npm start` and `npm run serve` give the server.
  const child = spawnSync(
    process.execPath,
    ['--max-semi-space-size=32', '--import', 'tsx', entry],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        SANSANG_BENCH_DATABASE: JSON.stringify(database),
        SANSANG_BENCH_RESULT: resultPath,
      },
    },
  )
  if (child.status !== 0) {
    failures.push(`the bench failed on ${name} (exit ${child.status})`)
    return { name, missing: 'the bench failed (its error is above)' }
  }
  const rows = BenchRowsSchema.parse(JSON.parse(readFileSync(resultPath, 'utf8')))
  rmSync(resultPath, { force: true })
  return { name, rows }
}

async function onServer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/**
 * In the parent: runs the bench file `entry` on both databases and prints
 * the table (exit code 1 when a target was missed or a run failed). In a
 * child: runs `bench` on the database it was given, rows into `table`.
 */
export async function onBothDatabases(
  entry: string,
  bench: (database: BenchDatabase, table: BenchTable) => Promise<void>,
): Promise<void> {
  const given = process.env.SANSANG_BENCH_DATABASE
  const resultPath = process.env.SANSANG_BENCH_RESULT
  if (given !== undefined && resultPath !== undefined) {
    const table = new BenchTable()
    await bench(BenchDatabaseSchema.parse(JSON.parse(given)), table)
    writeFileSync(resultPath, JSON.stringify(table.rows))
    return
  }

  const file = fileURLToPath(entry)
  const work = join(tmpdir(), `sansang-bench-${process.pid}`)
  const columns: BenchColumn[] = []
  const failures: string[] = []
  const sqlitePath = `${work}.sqlite`
  try {
    columns.push(
      runChild(file, { dialect: 'sqlite', path: sqlitePath }, `${work}-sqlite.json`, failures),
    )
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true })
  }

  const unavailable = postgresUnavailable()
  if (unavailable !== undefined) columns.push({ name: 'PostgreSQL', missing: unavailable })
  else {
    const server = await startPostgres()
    const database = `sansang_bench_${process.pid}`
    try {
      await onServer(server.url, `CREATE DATABASE ${database}`)
      columns.push(
        runChild(
          file,
          { dialect: 'postgres', url: databaseUrl(server.url, database) },
          `${work}-postgres.json`,
          failures,
        ),
      )
      await onServer(server.url, `DROP DATABASE ${database} WITH (FORCE)`)
    } finally {
      server.stop()
    }
  }

  console.info(`\nload average (1 min) at the end: ${load()}`)
  console.info(
    'CPU is the bench process alone: the PostgreSQL server works in processes of its own.\n',
  )
  printSideBySide(columns, failures)
}

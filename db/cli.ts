/**
 * Database commands: `tsx db/cli.ts migrate | rollback | seed | prepare [--demo] |
 * backup [file] | audit-verify [--expect <id>:<hash>]`.
 * `prepare` is what the start scripts run: migrate, load reference data and
 * content, and seed demo data into a new database only when asked —
 * `--demo` (what `npm start`, the demo, passes) unless `SEED_DEMO=false`, or
 * `SEED_DEMO=true` — and never into a database prepared for production.
 * `audit-verify` checks the audit log's hash chain and prints its head; it
 * exits 1 naming the first row that does not hold.
 */
import './load-env-file.ts'
import { parseChainHead, verifyAuditChain } from '../app/review/audit-chain.server.ts'
import { hashPassword } from '../app/utils/password.server.ts'
import { getEnv } from '../app/utils/env.server.ts'
import { describeStorageFailure, storageFailureOf } from '../app/utils/storage-error.server.ts'
import { backupDatabase, backupPostgres } from './backup.ts'
import { configuredWhere, openConfigured } from './client.ts'
import { migrateDown, migrateToLatest } from './migrate.ts'
import { seedAll } from './seed-all.ts'

export const CREATE_ADMIN_HINT =
  'No administrator yet. Create the first one with:\n' +
  '  npm run admin -- create-admin --login <login> --name "<display name>"\n' +
  'It prints a one-time link (valid 24 h) to set the password; `npm run admin -- --help` lists every command.'

/** What each way of breaking tells the operator. */
const CHAIN_BREAKS = {
  changed: 'its content no longer matches its hash: the row was rewritten',
  unlinked:
    'it does not follow the row before it: a row was removed or inserted there, or the row before was rewritten',
  backdated: 'it is dated before the row before it: it was added later with an earlier time',
  anchor:
    'the exported head is not in the chain any more: the log was rewritten up to it (hashes included) or cut',
} as const

async function auditVerify(db: Parameters<typeof verifyAuditChain>[0], args: string[]) {
  const flag = args.indexOf('--expect')
  const expectArg = flag >= 0 ? args[flag + 1] : undefined
  const expected = expectArg === undefined ? undefined : parseChainHead(expectArg)
  if (flag >= 0 && !expected) {
    throw new Error('--expect takes a head as audit:verify prints it: <id>:<64 hex digits>')
  }
  const verdict = await verifyAuditChain(db, { expect: expected ?? undefined })
  if (!verdict.ok) {
    const after = verdict.previousId === null ? '' : ` (after row #${verdict.previousId})`
    console.error(
      `audit chain BROKEN at row #${verdict.brokenAt}${after}: ${CHAIN_BREAKS[verdict.reason]}. ${verdict.rows} rows before it hold.`,
    )
    process.exitCode = 1
    return
  }
  const anchor = expected ? `; it still holds the exported head #${expected.id}` : ''
  console.info(`audit chain intact: ${verdict.rows} rows${anchor}`)
  // The last line alone: what to keep outside the database and pass to --expect later.
  console.info(verdict.head ? `${verdict.head.id}:${verdict.head.hash}` : 'empty')
}

async function main(command: string | undefined, args: string[]): Promise<void> {
  const env = getEnv()
  const opened = openConfigured(env)
  const { db, where } = opened
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrateToLatest(db)
        console.info(applied.length ? applied.join('\n') : 'schema is up to date')
        break
      }
      case 'rollback': {
        console.info((await migrateDown(db)).join('\n') || 'nothing to roll back')
        break
      }
      case 'seed':
      case 'prepare': {
        const applied = await migrateToLatest(db)
        if (applied.length) console.info(applied.join('\n'))
        const demo = command === 'seed' ? true : (env.SEED_DEMO ?? args.includes('--demo'))
        const report = await seedAll(db, { demo, hashPassword, now: new Date().toISOString() })
        console.info(`database ${where}: ${report.summary}`)
        if (report.admins === 0) console.info(CREATE_ADMIN_HINT)
        break
      }
      case 'backup': {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-')
        const result =
          opened.dialect === 'sqlite'
            ? await backupDatabase(opened.sqlite, args[0] ?? `data/backups/sansang-${stamp}.sqlite`)
            : await backupPostgres(opened.url, args[0] ?? `data/backups/sansang-${stamp}.pgdump`)
        console.info(
          `backup written to ${result.path} (${result.bytes} bytes, integrity ${result.integrity})`,
        )
        break
      }
      case 'audit-verify': {
        await auditVerify(db, args)
        break
      }
      default:
        throw new Error(
          `unknown command "${command ?? ''}": use migrate, rollback, seed, prepare, backup or audit-verify`,
        )
    }
  } finally {
    await db.destroy()
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  const failure = storageFailureOf(error)
  console.error(
    failure
      ? describeStorageFailure(failure, configuredWhere(getEnv()), error)
      : error instanceof Error
        ? error.message
        : error,
  )
  process.exit(1)
})

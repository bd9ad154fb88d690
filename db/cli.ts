/**
 * Database commands: `tsx db/cli.ts migrate | rollback | seed | prepare [--demo] | backup [file]`.
 * `prepare` is what the start scripts run: migrate, load reference data and
 * content, and seed demo data into a new database only when asked —
 * `--demo` (what `npm start`, the demo, passes) unless `SEED_DEMO=false`, or
 * `SEED_DEMO=true` — and never into a database prepared for production.
 */
import './load-env-file.ts'
import { hashPassword } from '../app/utils/password.server.ts'
import { getEnv } from '../app/utils/env.server.ts'
import { backupDatabase } from './backup.ts'
import { openDatabase } from './client.ts'
import { migrateDown, migrateToLatest } from './migrate.ts'
import { seedAll } from './seed-all.ts'

export const CREATE_ADMIN_HINT =
  'No administrator yet. Create the first one with:\n' +
  '  npm run admin -- create-admin --login <login> --name "<display name>"\n' +
  'It prints a one-time link (valid 24 h) to set the password; `npm run admin -- --help` lists every command.'

async function main(command: string | undefined, args: string[]): Promise<void> {
  const env = getEnv()
  const { db, sqlite, path } = openDatabase(env.DATABASE_PATH)
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
        console.info(`database ${path}: ${report.summary}`)
        if (report.admins === 0) console.info(CREATE_ADMIN_HINT)
        break
      }
      case 'backup': {
        const target =
          args[0] ?? `data/backups/sansang-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`
        const result = await backupDatabase(sqlite, target)
        console.info(
          `backup written to ${result.path} (${result.bytes} bytes, integrity ${result.integrity})`,
        )
        break
      }
      default:
        throw new Error(
          `unknown command "${command ?? ''}": use migrate, rollback, seed, prepare or backup`,
        )
    }
  } finally {
    await db.destroy()
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})

/**
 * Database commands: `tsx db/cli.ts migrate | rollback | seed | prepare | backup [file]`.
 * `prepare` is what `npm start` runs: migrate, load reference data and
 * content, and seed demo data when the database has no facilities yet.
 */
import { hashPassword } from '../app/utils/password.server.ts'
import { getEnv } from '../app/utils/env.server.ts'
import { backupDatabase } from './backup.ts'
import { openDatabase } from './client.ts'
import { migrateDown, migrateToLatest } from './migrate.ts'
import { seedAll } from './seed-all.ts'

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
        const report = await seedAll(db, {
          demo: command === 'seed' || env.SEED_DEMO,
          hashPassword,
          now: new Date().toISOString(),
        })
        console.info(`database ${path}: ${report}`)
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

/**
 * Whether a database was prepared as a demo or for production, recorded once
 * (table `deployment`, 0010). Demo data is never loaded into a production
 * database, and only a demo database shows the demo banner.
 */
import type { Kysely } from 'kysely'
import type { Database, DeploymentMode } from './schema.ts'

/** The mode recorded the first time this database was prepared, if any. */
export async function getDeploymentMode(db: Kysely<Database>): Promise<DeploymentMode | null> {
  const row = await db.selectFrom('deployment').select('mode').executeTakeFirst()
  return row?.mode ?? null
}

/** Records the mode once; a database keeps the mode it was first prepared with. */
export async function recordDeploymentMode(
  db: Kysely<Database>,
  mode: DeploymentMode,
  now: string,
): Promise<DeploymentMode> {
  await db
    .insertInto('deployment')
    .values({ id: 1, mode, recorded_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  return (await getDeploymentMode(db)) ?? mode
}

/** Does this database hold demo data (and so show the demo banner)? */
export async function isDemoDatabase(db: Kysely<Database>): Promise<boolean> {
  return (await getDeploymentMode(db)) === 'demo'
}

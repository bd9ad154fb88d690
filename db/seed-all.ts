/** Everything `prepare` and `seed` load, in order. */
import type { Kysely } from 'kysely'
import type { Database, DeploymentMode } from './schema.ts'
import { seedContent, seedDemoAssessments } from './seed-content.ts'
import { getDeploymentMode, recordDeploymentMode } from './deployment.ts'
import { isEmptyDatabase, seedDemo, seedProvinces } from './seed.ts'

export interface SeedAllOptions {
  demo: boolean
  hashPassword: (password: string) => Promise<string>
  now: string
}

export interface SeedReport {
  summary: string
  mode: DeploymentMode | null
  /** Enabled administrators: none means the first must be created (`npm run admin`). */
  admins: number
}

export async function seedAll(db: Kysely<Database>, options: SeedAllOptions): Promise<SeedReport> {
  const provinces = await seedProvinces(db)
  const content = await seedContent(db, options.now)
  const models = [...content.scoringModelIds.keys()].join(', ')
  const parts = [`${provinces} provinces`, `questionnaire v1 and scoring models ${models}`]
  if (options.demo) {
    const seeded = await seedDemo(db, options)
    if (seeded) {
      const assessments = await db
        .transaction()
        .execute((trx) => seedDemoAssessments(trx, content, options.now))
      parts.push(`demo data loaded (${assessments} assessments)`)
    } else if ((await getDeploymentMode(db)) === 'production') {
      parts.push('a production database: demo data is never loaded into it')
    } else {
      parts.push('demo data already present')
    }
  } else if (await isEmptyDatabase(db)) {
    // The first start without demo data makes this a production database for good.
    await recordDeploymentMode(db, 'production', options.now)
  }
  const admins = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow()
  return { summary: parts.join(', '), mode: await getDeploymentMode(db), admins: Number(admins.n) }
}

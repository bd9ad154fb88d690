/** Everything `prepare` and `seed` load, in order. */
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import { seedContent, seedDemoAssessments } from './seed-content.ts'
import { seedDemo, seedProvinces } from './seed.ts'

export interface SeedAllOptions {
  demo: boolean
  hashPassword: (password: string) => Promise<string>
  now: string
}

export async function seedAll(db: Kysely<Database>, options: SeedAllOptions): Promise<string> {
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
    } else {
      parts.push('demo data already present')
    }
  }
  return parts.join(', ')
}

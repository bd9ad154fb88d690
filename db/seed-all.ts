/** Everything `prepare` and `seed` load, in order. */
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import { seedDemo, seedProvinces } from './seed.ts'

export interface SeedAllOptions {
  demo: boolean
  hashPassword: (password: string) => Promise<string>
  now: string
}

export async function seedAll(db: Kysely<Database>, options: SeedAllOptions): Promise<string> {
  const provinces = await seedProvinces(db)
  const parts = [`${provinces} provinces`]
  if (options.demo) {
    const seeded = await seedDemo(db, options)
    parts.push(seeded ? 'demo data loaded' : 'demo data already present')
  }
  return parts.join(', ')
}

import { buildTemplateDatabase } from '../support/test-db.ts'

export default async function setup(): Promise<void> {
  await buildTemplateDatabase()
}

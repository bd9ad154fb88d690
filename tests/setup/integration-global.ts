import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { buildTemplateDatabase, TMP_DIR } from '../support/test-db.ts'

export default async function setup(): Promise<() => void> {
  await buildTemplateDatabase()
  // Each test file's private copy (and its evidence folder) goes when the run ends.
  return () => {
    for (const name of readdirSync(TMP_DIR)) {
      if (name.startsWith('it-')) rmSync(join(TMP_DIR, name), { recursive: true, force: true })
    }
  }
}

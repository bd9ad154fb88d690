/**
 * Reads `.env` from the working directory when there is one, with Node's
 * own parser (`process.loadEnvFile`, Node ≥ 20.12); a variable already set
 * in the environment wins over the file. Imported first by the commands
 * (db/cli.ts, db/admin-cli.ts) and by the server's entry
 * (app/server-start.ts), never by tests, which set their environment
 * themselves.
 */
import { existsSync } from 'node:fs'

export const ENV_FILE = '.env'

export function loadEnvFileIfPresent(path = ENV_FILE): boolean {
  if (!existsSync(path)) return false
  process.loadEnvFile(path)
  return true
}

loadEnvFileIfPresent()

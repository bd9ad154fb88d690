/**
 * Runs before each integration test file: point the app at a private copy of
 * the seeded template (a SQLite file, or a PostgreSQL database in the
 * integration-pg project). The app opens its database lazily, on first use,
 * so setting the environment here is enough.
 */
import { freshTestDatabase } from '../support/test-db.ts'

const settings = await freshTestDatabase('it')
process.env.DATABASE_PATH = settings.DATABASE_PATH
if (settings.DATABASE_URL) process.env.DATABASE_URL = settings.DATABASE_URL
process.env.NODE_ENV = 'test'
// One proxy in front: TestClient's X-Forwarded-For names the client.
process.env.TRUST_PROXY = '1'
process.env.EVIDENCE_DIR = `${process.env.DATABASE_PATH}.evidence`

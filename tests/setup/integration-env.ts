/**
 * Runs before each integration test file: point the app at a private copy of
 * the seeded template. The app opens its database lazily, on first use, so
 * setting DATABASE_PATH here is enough.
 */
import { copyTemplateDatabase } from '../support/test-db.ts'

process.env.DATABASE_PATH = copyTemplateDatabase('it')
process.env.NODE_ENV = 'test'
// One proxy in front: TestClient's X-Forwarded-For names the client.
process.env.TRUST_PROXY = '1'
process.env.EVIDENCE_DIR = `${process.env.DATABASE_PATH}.evidence`

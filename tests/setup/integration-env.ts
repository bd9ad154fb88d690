/**
 * Runs before each integration test file: point the app at a private copy of
 * the seeded template. The app opens its database lazily, on first use, so
 * setting DATABASE_PATH here is enough.
 */
import { copyTemplateDatabase } from '../support/test-db.ts'

process.env.DATABASE_PATH = copyTemplateDatabase('it')
process.env.NODE_ENV = 'test'
process.env.TRUST_PROXY = 'true'
process.env.EVIDENCE_DIR = `${process.env.DATABASE_PATH}.evidence`

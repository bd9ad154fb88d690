/** Whether this database is a demo one (db/deployment.ts owns the table). */
export { isDemoDatabase } from '../../db/deployment.ts'

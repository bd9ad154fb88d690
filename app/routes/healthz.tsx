import { sql } from 'kysely'
import { getDb } from '../utils/db.server.ts'

/** Health check for load balancers: the process is up and the database answers. */
export async function loader() {
  try {
    await sql`SELECT 1`.execute(getDb())
    return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } })
  } catch {
    return Response.json({ status: 'error', database: 'unreachable' }, { status: 503 })
  }
}

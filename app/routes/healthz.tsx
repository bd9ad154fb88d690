import { writeHeartbeat } from '../models/heartbeat.server.ts'
import { getDb } from '../utils/db.server.ts'
import { storageFailureOf } from '../utils/storage-error.server.ts'
import { nowIso } from '../utils/time.server.ts'

/**
 * Health check for load balancers: the process is up and the database takes
 * a commit now. Reading is not enough: a full disk or a read-only file still
 * answers SELECT while every save fails.
 */
export async function loader() {
  const headers = { 'Cache-Control': 'no-store' }
  try {
    await writeHeartbeat(getDb(), nowIso())
    return Response.json({ status: 'ok' }, { headers })
  } catch (error) {
    const database = storageFailureOf(error) ?? 'unreachable'
    console.warn(`healthz: the database cannot write (${database}):`, String(error))
    return Response.json({ status: 'error', database }, { status: 503, headers })
  }
}

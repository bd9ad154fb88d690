import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { writeAudit } from '../models/audit.server.ts'
import { revokeSession } from '../models/session.server.ts'
import { getSessionState } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { clearSessionCookie } from '../utils/session.server.ts'
import { nowIso } from '../utils/time.server.ts'

/** GET never signs out (no state change in a loader): it just goes home. */
export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  // A session still signing in (waiting for its second factor) ends here too.
  const user = (await getSessionState(request))?.user
  if (user) {
    const db = getDb()
    await revokeSession(db, user.sessionIdHash, nowIso())
    await writeAudit(db, {
      at: nowIso(),
      actorId: user.id,
      action: 'logout',
      entityType: 'user',
      entityId: user.id,
      ip: context.clientIp,
      requestId: context.requestId,
    })
  }
  return redirect('/login', { headers: { 'Set-Cookie': clearSessionCookie(request) } })
}

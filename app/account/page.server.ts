/** The user's own account page: profile, second factor and sessions. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { writeAudit } from '../models/audit.server.ts'
import { listActiveSessions, revokeOtherSessions } from '../models/session.server.ts'
import { getUserDetails } from '../models/user.server.ts'
import type { RequestMeta } from '../utils/login.server.ts'
import type { SessionUser } from '../utils/session.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { getTwoFactorStatus } from './two-factor.server.ts'

export async function getAccountPage(db: Kysely<Database>, user: SessionUser) {
  const now = nowIso()
  const [details, twoFactor, sessions] = await Promise.all([
    getUserDetails(db, user.id),
    getTwoFactorStatus(db, user.id),
    listActiveSessions(db, user.id, now),
  ])
  if (!details) throw new Error(`user ${user.id} vanished`)
  return {
    profile: {
      login: details.login,
      displayName: details.display_name,
      role: details.role,
      facility: details.facility_name
        ? `${details.facility_name} (${details.facility_code})`
        : null,
      province: details.province_name,
      email: details.email,
      phone: details.phone,
      passwordChangedAt: details.password_changed_at,
    },
    twoFactor,
    // Full sessions only; the hash never leaves the server.
    sessions: sessions
      .filter((s) => s.stage === 'full')
      .map((s) => ({
        current: s.id_hash === user.sessionIdHash,
        createdAt: s.created_at,
        lastSeenAt: s.last_seen_at,
        ip: s.ip,
        device: describeUserAgent(s.user_agent),
      })),
  }
}

/** "Sign out everywhere else": every session but this one ends. */
export async function signOutOtherSessions(
  db: Kysely<Database>,
  user: SessionUser,
  meta: RequestMeta,
): Promise<number> {
  const now = nowIso()
  const ended = await revokeOtherSessions(db, user.id, user.sessionIdHash, now)
  await writeAudit(db, {
    at: now,
    actorId: user.id,
    action: 'session.others_ended',
    entityType: 'user',
    entityId: user.id,
    detail: { ended },
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
  return ended
}

/**
 * A short name for a browser from its User-Agent (enough to tell "Chrome on
 * Android" from "Firefox on Windows"; the full string is in the title).
 */
export function describeUserAgent(ua: string | null): { label: string; full: string } {
  if (!ua) return { label: '—', full: '' }
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /node|undici/i.test(ua)
              ? 'Script'
              : 'Browser'
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iOS/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null
  return { label: os ? `${browser} · ${os}` : browser, full: ua }
}

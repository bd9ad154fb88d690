/**
 * A light per-user limit on exports, saved runs and robustness jobs: a
 * sliding window of 60 s holding at most 30 events per user, in memory.
 * In-memory is enough for one process (the deployment is a single Node
 * server); a restart forgets the window, which only ever allows more.
 */
import { getI18n } from '../i18n.ts'
import { apiError } from '../utils/api-error.server.ts'
import { getLocale } from '../utils/locale.server.ts'

export const WAVE_RATE_LIMIT = { max: 30, windowMs: 60_000 }

/** At most `max` events per key (a user id, a token id, a client address) in any `windowMs`. */
export class SlidingWindowLimiter<K extends number | string = number> {
  private readonly events = new Map<K, number[]>()
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Records an event at `now` when allowed; otherwise returns the seconds to wait. */
  take(key: K, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const recent = (this.events.get(key) ?? []).filter((t) => t > now - this.windowMs)
    if (recent.length >= this.max) {
      this.events.set(key, recent)
      const oldest = recent[0] ?? now
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)),
      }
    }
    recent.push(now)
    this.events.set(key, recent)
    // Keep the map small: forget keys with no event in the window.
    if (this.events.size > 10_000) {
      for (const [id, times] of this.events) {
        if (times.every((t) => t <= now - this.windowMs)) this.events.delete(id)
      }
    }
    return { ok: true }
  }
}

const limiter = new SlidingWindowLimiter(WAVE_RATE_LIMIT.max, WAVE_RATE_LIMIT.windowMs)

/** Throws the contract's 429 (`rate_limited`, with Retry-After) when the user has used up the window. */
export function requireWaveQuota(request: Request, userId: number): void {
  const result = limiter.take(userId, Date.now())
  if (!result.ok) {
    throw apiError(request, 'rate_limited', {
      message: getI18n(getLocale(request)).t('waves:rateLimited', {
        seconds: result.retryAfterSeconds,
      }),
      headers: { 'Retry-After': String(result.retryAfterSeconds) },
    })
  }
}

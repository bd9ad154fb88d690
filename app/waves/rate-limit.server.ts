/**
 * A light per-user limit on exports, saved runs and robustness jobs: at most
 * 30 events per user in any 60 s, counted in the database so that every
 * application process shares the window (app/utils/rate-limit.server.ts).
 */
import { getI18n } from '../i18n.ts'
import { apiError } from '../utils/api-error.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { takeRate, type RateLimit } from '../utils/rate-limit.server.ts'

export const WAVE_RATE_LIMIT: RateLimit = { max: 30, windowMs: 60_000 }

/** Throws the contract's 429 (`rate_limited`, with Retry-After) when the user has used up the window. */
export async function requireWaveQuota(request: Request, userId: number): Promise<void> {
  const result = await takeRate(getDb(), 'waves', userId, WAVE_RATE_LIMIT, Date.now())
  if (!result.ok) {
    throw apiError(request, 'rate_limited', {
      message: getI18n(getLocale(request)).t('waves:rateLimited', {
        seconds: result.retryAfterSeconds,
      }),
      headers: { 'Retry-After': String(result.retryAfterSeconds) },
    })
  }
}

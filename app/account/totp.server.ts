/**
 * TOTP (RFC 6238) through `otpauth`: SHA-1, 6 digits, 30-second steps — what
 * every authenticator app reads from a QR code — accepting one step either
 * side for clock drift. Recovery codes are 80-bit random strings, shown once
 * and stored as SHA-256 (unsalted is enough for 80 random bits).
 */
import { createHash, createHmac, randomInt } from 'node:crypto'
import * as OTPAuth from 'otpauth'
import QRCode from 'qrcode'

export const TOTP_ISSUER = 'Sẵn Sàng'
export const TOTP_PERIOD_SECONDS = 30
export const TOTP_WINDOW = 1
export const RECOVERY_CODE_COUNT = 10

function totp(secretBase32: string, login: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: TOTP_ISSUER,
    label: login,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  })
}

/**
 * The time step a code belongs to (within the window), or null when the
 * code matches none. The caller still has to accept the step once only.
 */
export function matchTotpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const otp = totp(secretBase32, '')
  const delta = otp.validate({ token: code, timestamp: now, window: TOTP_WINDOW })
  if (delta === null) return null
  return otp.counter({ timestamp: now }) + delta
}

/** The code for a step (tests and `npm run demo:code` compute codes the way an app does). */
export function totpCodeAt(secretBase32: string, timestamp = Date.now()): string {
  return totp(secretBase32, '').generate({ timestamp })
}

/**
 * The secret offered while enrolling, derived instead of stored: an HMAC of
 * the user's session token (never stored; the database holds its hash),
 * their id and their current enrolment time. Reloading the page shows the
 * same QR code, a GET writes nothing, and once a secret is enrolled the next
 * re-enrolment offers a new one.
 */
export function enrolmentSecret(
  sessionToken: string,
  userId: number,
  enrolledAt: string | null,
): string {
  const bytes = createHmac('sha256', sessionToken)
    .update(`sansang:totp-enrolment:v1:${userId}:${enrolledAt ?? 'none'}`)
    .digest()
    .subarray(0, 20)
  return new OTPAuth.Secret({ buffer: new Uint8Array(bytes).buffer }).base32
}

export interface EnrolmentView {
  secret: string
  /** The secret in groups of four, for typing into an app by hand. */
  secretGroups: string
  uri: string
  /** A PNG data URL rendered here (no external service sees the secret). */
  qrDataUrl: string
}

export async function enrolmentView(secret: string, login: string): Promise<EnrolmentView> {
  const uri = totp(secret, login).toString()
  const qrDataUrl = await QRCode.toDataURL(uri, {
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 232,
  })
  return { secret, secretGroups: secret.replace(/(.{4})/g, '$1 ').trim(), uri, qrDataUrl }
}

// No I, O, 0 or 1: a code read off paper is typed back without confusion.
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** Ten new codes like `K7QM-2XDA-9TRB-HF4W` (16 × 5 = 80 random bits each). */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(32)])
    return chars.join('').replace(/(.{4})(?!$)/g, '$1-')
  })
}

/** What a typed code is compared as: upper case, without spaces or dashes. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(`sansang:recovery:${normalizeRecoveryCode(code)}`)
    .digest('hex')
}

/** Does the input look like a recovery code rather than a six-digit TOTP code? */
export function isRecoveryCodeShape(code: string): boolean {
  return new RegExp(`^[${RECOVERY_ALPHABET}]{16}$`).test(normalizeRecoveryCode(code))
}

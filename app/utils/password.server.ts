/**
 * Password hashing with argon2id at OWASP ASVS L2 parameters (m = 19 MiB,
 * t = 2, p = 1). Passwords are NFKC-normalised at set and at check, so a
 * Vietnamese passphrase typed on a keyboard that emits NFD still matches.
 */
import { hash, verify } from '@node-rs/argon2'
import { dictionary } from '@zxcvbn-ts/language-common'

const ARGON2ID = 2 // @node-rs/argon2 Algorithm.Argon2id (a const enum, not importable here)
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
}

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-rule.ts'

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH }

export function normalizePassword(password: string): string {
  return password.normalize('NFKC')
}

export async function hashPassword(password: string): Promise<string> {
  return hash(normalizePassword(password), ARGON2_OPTIONS)
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, normalizePassword(password))
  } catch {
    // A malformed stored hash must read as "wrong password", never as a crash.
    return false
  }
}

/** A fixed hash to verify against when the login is unknown, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined
export function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('timing-equaliser-not-a-password')
  return dummyHash
}

export type PasswordProblem = 'tooShort' | 'tooLong' | 'containsLogin' | 'common'

/**
 * The rule for a new password: 12 to 128 characters (code points, after
 * NFKC), not the login (nor containing it), and not in the bundled list of
 * the ~49,000 most common passwords (zxcvbn-ts's `passwords-common`,
 * compared case-insensitively). Length beats composition rules (NIST SP
 * 800-63B §5.1.1.2): no "one digit and one symbol" requirement.
 */
export async function checkNewPassword(
  password: string,
  login: string,
): Promise<PasswordProblem | null> {
  const normalized = normalizePassword(password)
  const length = [...normalized].length
  if (length < PASSWORD_MIN_LENGTH) return 'tooShort'
  if (length > PASSWORD_MAX_LENGTH) return 'tooLong'
  const lower = normalized.toLowerCase()
  if (login.length > 0 && lower.includes(login.toLowerCase())) return 'containsLogin'
  if (commonPasswords().has(lower)) return 'common'
  return null
}

let common: Set<string> | undefined
/**
 * Built on first use (most requests never set a password). The package is
 * imported statically: a dynamic import would split the server build into
 * chunks, and modules that find files relative to the bundle would move.
 */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()))
  return common
}

/**
 * Password hashing with argon2id at OWASP ASVS L2 parameters (m = 19 MiB,
 * t = 2, p = 1). Passwords are NFKC-normalised at set and at check, so a
 * Vietnamese passphrase typed on a keyboard that emits NFD still matches.
 */
import { hash, verify } from '@node-rs/argon2'

const ARGON2ID = 2 // @node-rs/argon2 Algorithm.Argon2id (a const enum, not importable here)
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
}

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 128

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

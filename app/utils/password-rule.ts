/** The lengths of the password rule, browser-safe (the forms show them); the rule is in password.server.ts. */

/** For new passwords (set or changed); signing in checks only the maximum. */
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 128

/**
 * The environment, parsed once with zod at boot. A bad variable stops the
 * process with a message naming it, instead of failing later in a request.
 */
import { isIP } from 'node:net'
import * as z from 'zod'
import { ROLES } from '../../db/schema.ts'

const booleanString = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1')

/** The most proxies in a row we believe a deployment has (a typo like 100 should fail). */
const MAX_PROXY_HOPS = 10

/** Names Express's proxy-addr knows for address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** An address, a CIDR range (`10.0.0.0/8`, `fd00::/8`), or one of proxy-addr's range names. */
function isProxyAddress(value: string): boolean {
  if (PROXY_RANGE_NAMES.has(value)) return true
  const [address = '', bits, ...rest] = value.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (bits === undefined) return true
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)
}

/**
 * Who may tell us the client's address (Express's `trust proxy`):
 * - `false` or `0`: nobody, the socket's address is the client (no proxy);
 * - a number n: n proxies in front, each appending the address it received
 *   the request from; the client is the n-th address from the right of
 *   `X-Forwarded-For`, so whatever a client writes into the header itself is
 *   ignored (the app must then be reachable only through those proxies);
 * - a comma-separated list of proxy addresses or CIDR ranges: the client is
 *   the right-most address that is not one of them.
 * `true` (believe every entry, i.e. take the left-most one, which the client
 * chooses) is refused: it let any client pick its own address.
 */
export type TrustProxy = false | number | string[]

function parseTrustProxy(raw: string, ctx: z.RefinementCtx): TrustProxy {
  const value = raw.trim()
  if (value === '' || value === 'false' || value === '0') return false
  if (value === 'true') {
    ctx.addIssue({
      code: 'custom',
      message:
        'true would believe any X-Forwarded-For a client sends; give the number of proxies in front (e.g. 1) or their addresses (e.g. 10.0.0.5,10.1.0.0/16)',
    })
    return z.NEVER
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    if (hops > MAX_PROXY_HOPS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_PROXY_HOPS} proxy hops` })
      return z.NEVER
    }
    return hops
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
  const bad = entries.filter((e) => !isProxyAddress(e))
  if (bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `not a proxy address or CIDR range: ${bad.join(', ')} (use false, a number of hops, or addresses like 10.0.0.5,10.1.0.0/16)`,
    })
    return z.NEVER
  }
  return entries
}

// Accounts, invitations, email and two-factor sign-in (issue 13).
/** An empty value (`PUBLIC_URL=` in a .env file) means unset. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional())

const ACCOUNT_ENV = {
  /** Roles that must use a second factor (TOTP); empty: none. */
  MFA_REQUIRED_ROLES: z
    .string()
    .default('admin,ministry_reviewer')
    .transform((s) =>
      s
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(ROLES, { error: `each role must be one of ${ROLES.join(', ')}` }))),
  /** How long an invitation link stays valid. */
  INVITATION_LINK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** How long a password-reset link stays valid. */
  RESET_LINK_HOURS: z.coerce.number().int().min(1).max(72).default(1),
  /** The address users reach the app at, for links in emails and printed by `npm run admin`. */
  PUBLIC_URL: optional(
    z
      .url({ protocol: /^https?$/, error: 'must be an address like https://sansang.example' })
      .refine((u) => new URL(u).pathname === '/' && !new URL(u).search, {
        error: 'must be an origin only, like https://sansang.example (no path)',
      })
      .transform((u) => new URL(u).origin),
  ),
  /** smtp://user:password@host:587 or smtps://…: send links by email (nodemailer). */
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: 'must be smtp://… or smtps://…' })),
  /** The sender of those emails, e.g. "Sẵn Sàng <no-reply@sansang.example>". */
  SMTP_FROM: optional(z.string().min(3).max(200)),
}

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default('data/sansang.sqlite'),
    /** postgres://user:password@host:5432/database: PostgreSQL instead of the SQLite file. */
    DATABASE_URL: optional(
      z.url({
        protocol: /^postgres(ql)?$/,
        error: 'must be a PostgreSQL address like postgres://user:password@host:5432/sansang',
      }),
    ),
    EVIDENCE_DIR: z.string().min(1).default('data/evidence'),
    /**
     * Demo data into a new database. Unset: the command decides (`npm start`,
     * the demo, seeds it; `npm run start:production` never does); `false` turns
     * it off for either, `true` turns it on for either.
     */
    SEED_DEMO: optional(booleanString),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    /** auto: Secure (and the __Host- prefix) when the request arrived over https. */
    COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    /** Extra origins allowed to POST, comma-separated (e.g. behind a proxy). */
    ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ error: 'each origin must be a URL like https://sansang.example' }))),
    /** Which proxies in front may name the client in X-Forwarded-For; see `parseTrustProxy`. */
    TRUST_PROXY: z.string().transform(parseTrustProxy).default(false),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(10),
    LOGIN_WINDOW_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    ...ACCOUNT_ENV,
  })
  .superRefine((env, ctx) => {
    // Emails carry links: their address must not come from a request's Host header.
    if (env.SMTP_URL && !env.PUBLIC_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'required when SMTP_URL is set',
      })
    if (env.SMTP_URL && !env.SMTP_FROM)
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_FROM'],
        message: 'required when SMTP_URL is set',
      })
  })
export type Env = z.infer<typeof EnvSchema>

/** Parses an environment; throws one readable error naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) =>
        `  ${i.path.join('.') || '(environment)'}=${JSON.stringify(source[String(i.path[0])] ?? '')}: ${i.message}`,
    )
    throw new Error(`Invalid environment variables:\n${lines.join('\n')}\nSee .env.example.`)
  }
  return result.data
}

let cached: Env | undefined

/** The process environment, parsed on first use and then cached. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env)
  return cached
}

/**
 * The environment, parsed once with zod at boot. A bad variable stops the
 * process with a message naming it, instead of failing later in a request.
 */
import * as z from 'zod'

const booleanString = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1')

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default('data/sansang.sqlite'),
  EVIDENCE_DIR: z.string().min(1).default('data/evidence'),
  SEED_DEMO: booleanString.default(true),
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
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  TRUST_PROXY: booleanString.default(false),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(10),
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
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

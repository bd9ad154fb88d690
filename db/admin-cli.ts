/**
 * `npm run admin -- <command> [options]`: account administration from the
 * server's shell, for what no page can do — the first administrator of a
 * new database, and an administrator locked out of their own account. Every
 * command works on the configured database (DATABASE_PATH, .env), changes
 * nothing when it fails, says why in one line and exits non-zero, and is
 * audited (address "cli").
 */
import './load-env-file.ts'
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { linkOrigin } from '../app/account/links.server.ts'
import {
  createUser,
  handOutLink,
  resetTwoFactorByAdmin,
  setDisabledByAdmin,
} from '../app/admin/users.server.ts'
import { LoginSchema, UserFieldsSchema } from '../app/admin/user-input.ts'
import { getUserByLogin } from '../app/models/user.server.ts'
import { getEnv } from '../app/utils/env.server.ts'
import { checkNewPassword, hashPassword } from '../app/utils/password.server.ts'
import { openConfigured, type DatabaseSettings } from './client.ts'
import { existsSync } from 'node:fs'

/** create-admin's link lives 24 hours, whatever INVITATION_LINK_HOURS says. */
export const CREATE_ADMIN_LINK_HOURS = 24

export const HELP = `Usage: npm run admin -- <command> [options]

Commands:
  create-admin --login <login> --name "<display name>" [--email <address>] [--password-stdin]
      Create an administrator. Prints a one-time link (valid ${CREATE_ADMIN_LINK_HOURS} h) to set the
      password, or with --password-stdin reads the password from standard input
      (for scripted installs; never give it on the command line).
  reset-link --login <login>
      Print a one-time link for a user: a password reset (valid RESET_LINK_HOURS),
      or a new invitation when they never set a password. Earlier links stop working.
  reset-2fa --login <login>
      Remove a user's second factor and recovery codes and end their sessions;
      a role in MFA_REQUIRED_ROLES enrols again at the next sign-in.
  disable --login <login>
      Disable an account and end its sessions (never the last administrator).
  enable --login <login>
      Enable a disabled account.
  import-facilities FILE [--dry-run] [--lang vi|en]
      Import the facility registry from a CSV or XLSX file: prints the same preview
      as /admin/facilities/import and applies it in one audited transaction, unless
      --dry-run; exits 1, writing nothing, when the file or any row is refused.
  export-facilities [FILE]
      Write the registry in the import format (CSV) to FILE or standard output.
  --help
      This text.

The database is DATABASE_URL (PostgreSQL) when set, otherwise DATABASE_PATH (default
data/sansang.sqlite); .env is read when present.
Links use PUBLIC_URL (default http://localhost:PORT).`

class CliError extends Error {}

const MESSAGES: Record<string, string> = {
  loginRequired: 'give --login <login>',
  loginInvalid:
    'a login is 3-64 characters: lower-case letters, digits, dot, dash or underscore, starting and ending with a letter or digit',
  loginTaken: 'that login exists already',
  nameRequired: 'give --name "<display name>"',
  nameTooLong: 'the display name is longer than 120 characters',
  emailInvalid: 'that email address is not valid',
  tooShort: 'the password needs at least 12 characters',
  tooLong: 'the password is longer than 128 characters',
  containsLogin: 'the password must not contain the login',
  common: 'that password is on the list of common passwords',
  self: 'refused',
  last_admin: 'refused: this is the last enabled administrator',
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new CliError('--password-stdin: pipe the password in, e.g. `… < password.txt`')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  // One trailing newline is the shell's, not the password's.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

function requireLogin(value: string | undefined): string {
  const parsed = LoginSchema.safeParse(value ?? '')
  if (!parsed.success)
    throw new CliError(MESSAGES[parsed.error.issues[0]?.message ?? ''] ?? 'bad login')
  return parsed.data
}

/** A mistyped DATABASE_PATH must not create an empty database beside the real one. */
/** A SQLite file must exist already (opening would make an empty one); a server says itself. */
function requireDatabase(settings: DatabaseSettings): void {
  if (!settings.DATABASE_URL && !existsSync(settings.DATABASE_PATH))
    throw new CliError(
      `no database at ${settings.DATABASE_PATH}: start the app once first (npm run start:production)`,
    )
}

/** The registry's sub-commands, run by db/registry-cli.ts with their own options. */
const REGISTRY_COMMANDS = new Set(['import-facilities', 'export-facilities'])

async function main(argv: string[]): Promise<void> {
  if (REGISTRY_COMMANDS.has(argv[0] ?? '')) {
    requireDatabase(getEnv())
    // Loaded only for these commands: the registry's messages bring i18next along.
    const { run } = await import('./registry-cli.ts')
    process.exitCode = await run(argv)
    return
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      login: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals[0]
  if (values.help || !command || command === 'help') {
    console.info(HELP)
    if (!values.help && command !== 'help') process.exitCode = 1
    return
  }
  const env = getEnv()
  const meta = { clientIp: 'cli', requestId: randomUUID() }
  const origin = linkOrigin(null)
  requireDatabase(env)
  const { db } = openConfigured(env)
  try {
    const target = async () => {
      const login = requireLogin(values.login)
      const user = await getUserByLogin(db, login)
      if (!user) throw new CliError(`no user with login "${login}"`)
      return user
    }
    switch (command) {
      case 'create-admin': {
        const login = requireLogin(values.login)
        const fields = UserFieldsSchema.safeParse({
          displayName: values.name ?? '',
          role: 'admin',
          email: values.email,
        })
        if (!fields.success)
          throw new CliError(MESSAGES[fields.error.issues[0]?.message ?? ''] ?? 'bad input')
        let passwordHash: string | undefined
        if (values['password-stdin']) {
          const password = await readStdin()
          const problem = await checkNewPassword(password, login)
          if (problem) throw new CliError(MESSAGES[problem] ?? problem)
          passwordHash = await hashPassword(password)
        }
        const result = await createUser(
          db,
          null,
          { login, ...fields.data },
          {
            origin,
            meta,
            passwordHash,
            linkHours: CREATE_ADMIN_LINK_HOURS,
            email: false,
          },
        )
        if (result.kind === 'invalid') {
          const [, key] = Object.entries(result.errors)[0] ?? []
          throw new CliError(MESSAGES[key ?? ''] ?? String(key))
        }
        console.info(`administrator "${login}" created`)
        if (result.handout) {
          console.info(
            `one-time link to set the password (valid until ${result.handout.link.expiresAt}):`,
          )
          console.info(result.handout.link.url)
        } else {
          console.info('the password was set from standard input; sign in at /login')
        }
        break
      }
      case 'reset-link': {
        const user = await target()
        const handout = await handOutLink(db, {
          userId: user.id,
          kind: user.password_hash ? 'reset' : 'invitation',
          actorId: null,
          origin,
          meta,
          email: false,
        })
        console.info(`one-time link for "${user.login}" (valid until ${handout.link.expiresAt}):`)
        console.info(handout.link.url)
        break
      }
      case 'reset-2fa': {
        const user = await target()
        await resetTwoFactorByAdmin(db, null, user.id, meta)
        console.info(`second factor of "${user.login}" removed; their sessions ended`)
        break
      }
      case 'disable':
      case 'enable': {
        const user = await target()
        const result = await setDisabledByAdmin(db, null, user.id, command === 'disable', meta)
        if (result.kind === 'refused') throw new CliError(MESSAGES[result.reason] ?? result.reason)
        if (result.kind === 'unchanged') console.info(`"${user.login}" is ${command}d already`)
        else console.info(`"${user.login}" ${command}d`)
        break
      }
      default:
        throw new CliError(`unknown command "${command}"; see npm run admin -- --help`)
    }
  } finally {
    await db.destroy()
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  console.error(`error: ${message.split('\n')[0]}`)
  process.exit(1)
})

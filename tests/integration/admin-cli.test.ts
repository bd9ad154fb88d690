/**
 * The production path from zero, as processes: `prepare` without demo data
 * on a new database, then `npm run admin` (db/admin-cli.ts) — and `.env`.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href
const dir = mkdtempSync(join(ROOT, 'tests/.tmp/it-cli-'))
const dbPath = join(dir, 'production.sqlite')

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(
  script: string,
  args: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string> } = {},
) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: dbPath,
    ...options.env,
  }
  for (const k of ['SEED_DEMO', 'NODE_ENV', 'SMTP_URL', 'PUBLIC_URL'])
    if (!(options.env && k in options.env)) delete env[k]
  const result = spawnSync(process.execPath, ['--import', TSX, join(ROOT, script), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { status: result.status, out: `${result.stdout}${result.stderr}` }
}

const admin = (args: string[], input?: string) => run('db/admin-cli.ts', args, { input })

async function users() {
  const { db } = openDatabase(dbPath)
  try {
    return await db
      .selectFrom('users')
      .select(['login', 'role', 'password_hash'])
      .orderBy('id')
      .execute()
  } finally {
    await db.destroy()
  }
}

describe('a production database from zero', () => {
  it('prepares without demo data, for good, and says how to create the first administrator', async () => {
    const first = run('db/cli.ts', ['prepare'])
    expect(first.status).toBe(0)
    expect(first.out).toContain(
      'npm run admin -- create-admin --login <login> --name "<display name>"',
    )
    expect(await users()).toEqual([])
    // The demo command later on the same file loads nothing: it is a production database.
    const demo = run('db/cli.ts', ['prepare', '--demo'])
    expect(demo.out).toContain('demo data is never loaded into it')
    expect(await users()).toEqual([])
  }, 120_000)

  it('refuses a bad login, a weak password and a taken login with one line and a non-zero exit, changing nothing', async () => {
    const bad = admin(['create-admin', '--login', 'Quản Trị!', '--name', 'X'])
    expect(bad.status).not.toBe(0)
    expect(bad.out.trim().split('\n')).toHaveLength(1)
    const weak = admin(
      ['create-admin', '--login', 'quantri.bo', '--name', 'X', '--password-stdin'],
      'qwerty123456\n',
    )
    expect(weak.status).not.toBe(0)
    expect(weak.out).toContain('common passwords')
    const short = admin(
      ['create-admin', '--login', 'quantri.bo', '--name', 'X', '--password-stdin'],
      'ngắn\n',
    )
    expect(short.out).toContain('at least 12 characters')
    expect(await users()).toEqual([])
  }, 120_000)

  it('creates the first administrator with a one-time link valid 24 h, or from standard input', async () => {
    const created = admin(['create-admin', '--login', 'quantri.bo', '--name', 'Quản trị Bộ Y tế'])
    expect(created.status).toBe(0)
    expect(created.out).toMatch(/http:\/\/localhost:3000\/set-password\/[\w-]{43}/)
    const taken = admin(['create-admin', '--login', 'quantri.bo', '--name', 'Again'])
    expect(taken.status).not.toBe(0)
    expect(taken.out).toContain('exists already')
    const scripted = admin(
      ['create-admin', '--login', 'quantri.hai', '--name', 'Hai', '--password-stdin'],
      'một câu mật khẩu rất dài\n',
    )
    expect(scripted.status).toBe(0)
    const rows = await users()
    expect(rows.map((r) => [r.login, r.role, r.password_hash === null])).toEqual([
      ['quantri.bo', 'admin', true],
      ['quantri.hai', 'admin', false],
    ])
    const { db } = openDatabase(dbPath)
    const token = await db
      .selectFrom('account_tokens')
      .select(['created_at', 'expires_at'])
      .executeTakeFirstOrThrow()
    await db.destroy()
    expect(Date.parse(token.expires_at) - Date.parse(token.created_at)).toBe(24 * 3_600_000)
  }, 120_000)

  it('documents every command in --help and keeps the last administrator', () => {
    const help = admin(['--help'])
    expect(help.status).toBe(0)
    for (const command of [
      'create-admin',
      'reset-link',
      'reset-2fa',
      'disable',
      'enable',
      'import-facilities',
      'export-facilities',
    ])
      expect(help.out).toContain(command)
    expect(admin(['disable', '--login', 'quantri.hai']).status).toBe(0)
    const last = admin(['disable', '--login', 'quantri.bo'])
    expect(last.status).not.toBe(0)
    expect(last.out).toContain('last enabled administrator')
    expect(admin(['reset-link', '--login', 'quantri.hai']).out).toMatch(/set-password\/[\w-]{43}/)
  }, 120_000)

  it('loads the first facility registry into the production database (dry run first)', async () => {
    const count = async () => {
      const { db } = openDatabase(dbPath)
      try {
        return (await db.selectFrom('facilities').select('id').execute()).length
      } finally {
        await db.destroy()
      }
    }
    const example = 'db/data/registry-example.csv'
    const dry = admin(['import-facilities', example, '--dry-run', '--lang', 'en'])
    expect(dry.status, dry.out).toBe(0)
    expect(dry.out).toContain('New: 8 · Changed: 0 · Unchanged: 0 · Rows refused: 0')
    expect(await count()).toBe(0)
    const real = admin(['import-facilities', example])
    expect(real.status, real.out).toBe(0)
    expect(await count()).toBe(8)
    expect(admin(['import-facilities']).status).not.toBe(0)
  }, 120_000)
})

describe('.env', () => {
  it('is read by the commands when present (its SEED_DEMO=false beats the demo command)', async () => {
    const cwd = mkdtempSync(join(dir, 'env-'))
    const fromFile = join(cwd, 'from-env-file.sqlite')
    writeFileSync(join(cwd, '.env'), `DATABASE_PATH=${fromFile}\nSEED_DEMO=false\n`)
    const env: NodeJS.ProcessEnv = { ...process.env }
    delete env.DATABASE_PATH
    const result = spawnSync(
      process.execPath,
      ['--import', TSX, join(ROOT, 'db/cli.ts'), 'prepare', '--demo'],
      {
        cwd,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      },
    )
    expect(result.status).toBe(0)
    expect(result.stdout).toContain(`database ${fromFile}`)
    // SEED_DEMO=false from the file beat the demo command's --demo.
    expect(result.stdout).toContain('No administrator yet')
  }, 120_000)
})

/** The process refuses to start with a malformed environment, naming the variable. */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

describe('boot with a bad environment', () => {
  it('stops with a message naming each bad variable and changes nothing', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'db/cli.ts', 'migrate'], {
      env: {
        ...process.env,
        PORT: 'eighty',
        SESSION_IDLE_MINUTES: '-5',
        DATABASE_PATH: 'tests/.tmp/never-created.sqlite',
      },
      encoding: 'utf8',
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/Invalid environment variables/)
    expect(result.stderr).toMatch(/PORT="eighty"/)
    expect(result.stderr).toMatch(/SESSION_IDLE_MINUTES="-5"/)
    expect(existsSync('tests/.tmp/never-created.sqlite')).toBe(false)
  })
})

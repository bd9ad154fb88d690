/**
 * scoring/ is pure (no I/O, no clock, no unseeded randomness, no app or db
 * code): ESLint enforces it on edit, this test enforces it in CI even if the
 * lint config changes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const dir = join(import.meta.dirname, '../../../scoring')
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'))

const forbidden: Array<[RegExp, string]> = [
  [/from\s+['"]node:/, 'node: import'],
  [/from\s+['"](fs|path|os|child_process|worker_threads|crypto)['"]/, 'I/O module import'],
  [/from\s+['"](kysely|better-sqlite3|@remix-run\/[^'"]*)['"]/, 'database or app framework import'],
  [/from\s+['"](\.\.\/)+(app|db)\//, 'app or db import'],
  [/from\s+['"]#(app|db)\//, 'app or db import'],
  [/import\(/, 'dynamic import (I/O such as loading WASM belongs to the caller)'],
  [/^import\s+(?!type\b)[^;]*from\s+['"]highs['"]/m, 'value import of highs (WASM loading is I/O)'],
  [/Math\.random/, 'Math.random'],
  [/\bDate\b/, 'Date'],
  [/performance\.now|process\./, 'clock or process access'],
  [/\brequire\(/, 'require'],
]

describe('scoring/ purity', () => {
  it('has files to check', () => {
    expect(files).toContain('score.ts')
  })

  it.each(files)('%s has no forbidden imports, clock or unseeded randomness', (file) => {
    // Comments may mention the forbidden names; strip them first.
    const code = readFileSync(join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
    const found = forbidden.filter(([re]) => re.test(code)).map(([, what]) => what)
    expect(found).toEqual([])
  })
})

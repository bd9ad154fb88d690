import { describe, expect, it } from 'vitest'
import { answerCell, MULTI_SEPARATOR } from '../../../app/api/raw-answers.server.ts'
import {
  calendarDayAfter,
  lastExpiryDay,
  newToken,
  TOKEN_PREFIX,
} from '../../../app/api/tokens.server.ts'
import { hashToken } from '../../../app/utils/session.server.ts'

describe('API tokens', () => {
  it('are 32 random bytes after the prefix, and only their SHA-256 is kept', () => {
    const a = newToken()
    const b = newToken()
    expect(a.token).toMatch(new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`))
    expect(a.token).not.toBe(b.token)
    expect(a.tokenHash).toBe(hashToken(a.token))
    expect(a.tokenHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('expire at most 366 calendar days ahead, across month and leap-year ends', () => {
    expect(calendarDayAfter('2026-12-31', 1)).toBe('2027-01-01')
    expect(calendarDayAfter('2028-02-28', 1)).toBe('2028-02-29')
    expect(lastExpiryDay('2026-12-03')).toBe('2027-12-04')
  })
})

describe('raw answer cells', () => {
  it('keep numbers and codes as stored and join several codes', () => {
    expect(answerCell(12.5)).toBe(12.5)
    expect(answerCell('level_3')).toBe('level_3')
    expect(answerCell(['a', 'b'])).toBe(`a${MULTI_SEPARATOR}b`)
    expect(answerCell(undefined)).toBeNull()
    expect(answerCell(null)).toBeNull()
    expect(answerCell(true)).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import {
  generateRecoveryCodes,
  hashRecoveryCode,
  isRecoveryCodeShape,
  matchTotpStep,
  totpCodeAt,
} from '../../../app/account/totp.server.ts'
import { NewUserSchema } from '../../../app/admin/user-input.ts'
import { safeRedirectPath } from '../../../app/utils/auth.server.ts'
import { checkNewPassword } from '../../../app/utils/password.server.ts'

describe('safeRedirectPath', () => {
  it.each([
    ['/review?x=1', '/review?x=1'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['/\\evil.example', '/'],
    ['//evil.example', '/'],
    ['/./\\/evil.example', '/'],
    ['https://evil.example', '/'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/\u0000x', '/%00x'],
    ['/cơ-sở', '/c%C6%A1-s%E1%BB%9F'],
    ['', '/'],
  ])('%j → %j', (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected)
  })
  it('is never another origin, for any string', () => {
    for (const c of ['\t', '\n', '\\', '/', '%', '\u3000', '@', ':', '.'])
      for (const d of ['\t', '\\', '/', ''])
        expect(new URL(safeRedirectPath(`/${c}${d}evil.example`), 'https://a.test').origin).toBe(
          'https://a.test',
        )
  })
})

describe('new passwords', () => {
  it('wants 12 characters, not the login, not a common password', async () => {
    expect(await checkNewPassword('ngắn quá', 'a.b')).toBe('tooShort')
    expect(await checkNewPassword('giamdoc.thanhhoa2026', 'giamdoc.thanhhoa')).toBe('containsLogin')
    expect(await checkNewPassword('QWERTY123456', 'someone')).toBe('common')
    expect(await checkNewPassword('một câu đủ dài để nhớ', 'someone')).toBeNull()
  })
})

describe('TOTP and recovery codes', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
  it('matches a code to its step within one step either side', () => {
    const now = 1_800_000_000_000
    const step = Math.floor(now / 30_000)
    expect(matchTotpStep(secret, totpCodeAt(secret, now), now)).toBe(step)
    expect(matchTotpStep(secret, totpCodeAt(secret, now + 30_000), now)).toBe(step + 1)
    expect(matchTotpStep(secret, totpCodeAt(secret, now + 90_000), now)).toBeNull()
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull()
  })
  it('makes ten distinct 80-bit codes, typed back in any case', () => {
    const codes = generateRecoveryCodes()
    expect(new Set(codes).size).toBe(10)
    for (const c of codes) expect(c).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/)
    const first = codes[0] ?? ''
    expect(isRecoveryCodeShape(first.toLowerCase().replace(/-/g, ' '))).toBe(true)
    expect(hashRecoveryCode(first.toLowerCase())).toBe(hashRecoveryCode(first))
  })
})

describe('account fields', () => {
  it('ties the scope to the role', () => {
    const base = { login: 'a.b.c', displayName: 'X', email: '', phone: '' }
    expect(
      NewUserSchema.safeParse({ ...base, role: 'director', facilityCode: '38001' }).success,
    ).toBe(true)
    expect(NewUserSchema.safeParse({ ...base, role: 'director' }).success).toBe(false)
    expect(NewUserSchema.safeParse({ ...base, role: 'admin', provinceCode: '38' }).success).toBe(
      false,
    )
    expect(NewUserSchema.safeParse({ ...base, login: 'Ab!', role: 'admin' }).success).toBe(false)
  })
})

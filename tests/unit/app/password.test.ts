import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../../app/utils/password.server.ts'

describe('passwords', () => {
  it('stores argon2id with m=19 MiB, t=2, p=1', async () => {
    const hash = await hashPassword('mật khẩu đủ dài')
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })

  it('accepts a 64-character Vietnamese passphrase over 72 bytes and rejects a one-letter change', async () => {
    const phrase = 'Sẵn sàng triển khai bệnh án điện tử cho mọi bệnh viện ở Việt Nam!'
    expect(phrase.length).toBeGreaterThanOrEqual(64)
    expect(Buffer.byteLength(phrase)).toBeGreaterThan(72)
    const hash = await hashPassword(phrase)
    expect(await verifyPassword(hash, phrase)).toBe(true)
    expect(await verifyPassword(hash, `${phrase.slice(0, -1)}?`)).toBe(false)
  })

  it('verifies NFC and NFD input the same', async () => {
    const nfc = 'Bệnh viện Đa khoa'.normalize('NFC')
    const hash = await hashPassword(nfc)
    expect(await verifyPassword(hash, nfc.normalize('NFD'))).toBe(true)
  })

  it('reads a malformed stored hash as a wrong password', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false)
  })
})

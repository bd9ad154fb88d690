import { describe, expect, it } from 'vitest'
import { cleanFileName, sniffMimeType } from '../../../app/assessment/evidence.server.ts'

describe('sniffMimeType', () => {
  it('reads the type from the magic bytes only', () => {
    expect(sniffMimeType(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]))).toBe(
      'application/pdf',
    )
    expect(sniffMimeType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'image/png',
    )
    expect(sniffMimeType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffMimeType(new Uint8Array([0x4d, 0x5a]))).toBeNull()
    expect(sniffMimeType(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeNull()
  })
})

describe('cleanFileName', () => {
  it('keeps Vietnamese names, drops paths, quotes and control characters', () => {
    expect(cleanFileName('Quyết định số 12.pdf')).toBe('Quyết định số 12.pdf')
    expect(cleanFileName('..\\..\\etc/passwd')).toBe('passwd')
    expect(cleanFileName('a"b\r\nc.pdf')).toBe('abc.pdf')
    expect(cleanFileName('   ')).toBe('file')
    expect(cleanFileName('x'.repeat(300))).toHaveLength(150)
  })
  it('normalises to NFC', () => {
    expect(cleanFileName('Bạch Mai.pdf'.normalize('NFD'))).toBe('Bạch Mai.pdf'.normalize('NFC'))
  })
})

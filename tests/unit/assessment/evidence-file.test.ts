import { describe, expect, it } from 'vitest'
import {
  EVIDENCE_QUOTA,
  evidenceFileName,
  quotaExceeded,
  sniffMimeType,
} from '../../../app/assessment/evidence.server.ts'

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

describe('evidenceFileName', () => {
  const pdf = 'application/pdf'
  it('keeps Vietnamese names, drops paths, quotes and control characters', () => {
    expect(evidenceFileName('Quyết định số 12.pdf', pdf)).toBe('Quyết định số 12.pdf')
    expect(evidenceFileName('..\\..\\etc/passwd', pdf)).toBe('passwd.pdf')
    expect(evidenceFileName('a"b\r\nc.pdf', pdf)).toBe('abc.pdf')
    expect(evidenceFileName('   ', pdf)).toBe('file.pdf')
    expect(evidenceFileName('x'.repeat(300), pdf)).toHaveLength(150)
    expect(evidenceFileName(`${'x'.repeat(300)}.pdf`, pdf)).toMatch(/^x{146}\.pdf$/)
  })

  it('normalises to NFC', () => {
    expect(evidenceFileName('Bạch Mai.pdf'.normalize('NFD'), pdf)).toBe(
      'Bạch Mai.pdf'.normalize('NFC'),
    )
  })

  it('ends in the extension of the sniffed type, whatever the name claimed', () => {
    expect(evidenceFileName('x.html', pdf)).toBe('x.pdf')
    expect(evidenceFileName('báo cáo.PDF', pdf)).toBe('báo cáo.PDF')
    expect(evidenceFileName('ảnh.jpeg', 'image/jpeg')).toBe('ảnh.jpeg')
    expect(evidenceFileName('ảnh.png', 'image/jpeg')).toBe('ảnh.jpg')
    expect(evidenceFileName('Biên bản', 'image/png')).toBe('Biên bản.png')
    // A number after the dot is part of the name, not a type.
    expect(evidenceFileName('QĐ 12.2025', pdf)).toBe('QĐ 12.2025.pdf')
    expect(evidenceFileName('x.pdf. . ', pdf)).toBe('x.pdf')
  })

  it('strips bidi overrides, isolates, marks and zero-width characters', () => {
    // "invoice\u202Efdp.exe" shows as "invoiceexe.pdf" in a right-to-left override.
    expect(evidenceFileName('invoice\u202Efdp.exe', pdf)).toBe('invoicefdp.pdf')
    expect(evidenceFileName('a\u2066b\u2069c\u200Fd\u200Be\u061Cf\u2028g.png', 'image/png')).toBe(
      'abcdefg.png',
    )
    expect(evidenceFileName('\u202Dx\u0085y\u009Bz.pdf', pdf)).toBe('xyz.pdf')
  })
})

describe('quotaExceeded', () => {
  it('refuses one file more than the count, or bytes past the total, naming the limit', () => {
    expect(quotaExceeded({ files: EVIDENCE_QUOTA.files - 1, bytes: 0 }, 1)).toBeNull()
    expect(quotaExceeded({ files: EVIDENCE_QUOTA.files, bytes: 0 }, 1)?.limit).toBe('files')
    expect(quotaExceeded({ files: 0, bytes: EVIDENCE_QUOTA.bytes - 10 }, 10)).toBeNull()
    const full = quotaExceeded({ files: 1, bytes: EVIDENCE_QUOTA.bytes - 10 }, 11)
    expect(full?.limit).toBe('bytes')
    expect(full?.message.vi).toMatch(/tối đa 100 MB/)
    expect(full?.message.en).toMatch(/at most 100 MB/)
  })
})

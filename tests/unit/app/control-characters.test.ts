import { describe, expect, it } from 'vitest'
import {
  controlCharacterIn,
  controlCharacterInForm,
  controlCharacterInJson,
  NOT_IN_REDIRECT_PATH,
  showControlCharacters,
} from '../../../app/utils/control-characters.ts'

describe('control characters in text', () => {
  it('finds C0 controls, DEL and C1 controls, but keeps tab, LF and CR', () => {
    expect(controlCharacterIn('Bệnh viện\u0000')).toBe('U+0000')
    expect(controlCharacterIn('a\u000bb')).toBe('U+000B')
    expect(controlCharacterIn('a\u007fb')).toBe('U+007F')
    expect(controlCharacterIn('a\u009fb')).toBe('U+009F')
    expect(controlCharacterIn('dòng 1\r\ndòng 2\tcột')).toBeNull()
    // Not controls: a no-break space, a zero-width joiner, Vietnamese.
    expect(controlCharacterIn('Sở Y tế\u00a0Thanh Hóa\u200d')).toBeNull()
  })

  it('shows each refused character where it is', () => {
    expect(showControlCharacters('a\u0000b\u0085c\n')).toBe('a[U+0000]b[U+0085]c\n')
  })

  it('names the JSON value or key holding one by its dotted path', () => {
    expect(controlCharacterInJson({ changes: { note: 'ok', list: ['x', 'y\u0001'] } })).toEqual({
      field: 'changes.list.1',
      character: 'U+0001',
    })
    expect(controlCharacterInJson({ changes: { 'q\u0000': 1 } })).toEqual({
      field: 'changes.q[U+0000]',
      character: 'U+0000',
    })
    expect(controlCharacterInJson({ a: [1, true, null, 'tab\there'] })).toBeNull()
  })

  it('names the form field, and reads a file by its name only', () => {
    const form = new FormData()
    form.set('file', new File([new Uint8Array([0, 1, 2])], 'danh-sach.xlsx'))
    form.set('note', 'ghi chú\n')
    expect(controlCharacterInForm(form)).toBeNull()
    form.set('name', 'Nguyễn\u001b')
    expect(controlCharacterInForm(form)).toEqual({ field: 'name', character: 'U+001B' })
    const named = new FormData()
    named.set('file', new File(['a'], 'a\u0000.csv'))
    expect(controlCharacterInForm(named)).toEqual({ field: 'file', character: 'U+0000' })
  })

  it('refuses more in a redirect path: format characters, separators and odd spaces too', () => {
    for (const bad of ['/a\tb', '/a\u200bb', '/a\u00a0b', '/a\u2028b', '/a\u0000'])
      expect(NOT_IN_REDIRECT_PATH.test(bad), JSON.stringify(bad)).toBe(true)
    expect(NOT_IN_REDIRECT_PATH.test('/review?q=Thanh Hóa')).toBe(false)
  })
})

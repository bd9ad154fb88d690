import { describe, expect, it } from 'vitest'
import { foldSearchKey } from '../../../db/text.ts'
import { isSameOriginRequest } from '../../../app/server.ts'
import {
  canAccessFacility,
  safeRedirectPath,
  type SessionUser,
} from '../../../app/utils/auth.server.ts'
import { parseEnv } from '../../../app/utils/env.server.ts'
import { serverResources } from '../../../app/i18n.ts'

describe('foldSearchKey', () => {
  it('ignores diacritics and tone-mark placement', () => {
    expect(foldSearchKey('Bệnh viện Bạch Mai')).toBe('benh vien bach mai')
    expect(foldSearchKey('Thanh Hóa')).toBe(foldSearchKey('Thanh Hoá'))
    expect(foldSearchKey('Khánh Hòa')).toBe('khanh hoa')
  })
  it('folds NFD input the same as NFC', () => {
    const nfc = 'Bệnh viện Chợ Rẫy'.normalize('NFC')
    expect(foldSearchKey(nfc.normalize('NFD'))).toBe(foldSearchKey(nfc))
  })
  it('turns đ and Đ into d', () => {
    expect(foldSearchKey('Đắk Lắk')).toBe('dak lak')
    expect(foldSearchKey('Bệnh viện Việt Đức')).toBe('benh vien viet duc')
  })
  it('unifies apostrophes and white space', () => {
    expect(foldSearchKey('  Ea   H’leo ')).toBe("ea h'leo")
  })
})

describe('parseEnv', () => {
  it('applies defaults', () => {
    const env = parseEnv({})
    expect(env.PORT).toBe(3000)
    expect(env.DATABASE_PATH).toBe('data/sansang.sqlite')
    // Unset: the command decides (npm start seeds the demo, start:production never does).
    expect(env.SEED_DEMO).toBeUndefined()
    expect(env.MFA_REQUIRED_ROLES).toEqual(['admin', 'ministry_reviewer'])
    expect(env.INVITATION_LINK_HOURS).toBe(72)
    expect(env.RESET_LINK_HOURS).toBe(1)
  })
  it('reads the account settings and refuses what cannot work', () => {
    expect(parseEnv({ MFA_REQUIRED_ROLES: '' }).MFA_REQUIRED_ROLES).toEqual([])
    expect(parseEnv({ SEED_DEMO: '' }).SEED_DEMO).toBeUndefined()
    expect(() => parseEnv({ MFA_REQUIRED_ROLES: 'admin,root' })).toThrow(/MFA_REQUIRED_ROLES/)
    expect(() => parseEnv({ SMTP_URL: 'smtp://127.0.0.1:25' })).toThrow(
      /PUBLIC_URL[\s\S]*required when SMTP_URL is set[\s\S]*SMTP_FROM/,
    )
    expect(() => parseEnv({ PUBLIC_URL: 'https://sansang.example/app' })).toThrow(/origin only/)
    expect(parseEnv({ PUBLIC_URL: 'https://sansang.example/' }).PUBLIC_URL).toBe(
      'https://sansang.example',
    )
  })
  it('names every bad variable', () => {
    expect(() =>
      parseEnv({ PORT: 'eighty', SEED_DEMO: 'maybe', ALLOWED_ORIGINS: 'not a url' }),
    ).toThrow(/PORT="eighty"[\s\S]*SEED_DEMO="maybe": must be true or false[\s\S]*ALLOWED_ORIGINS/)
  })
  it('reads TRUST_PROXY as no proxy, a number of hops or a list of proxy addresses', () => {
    const trust = (value?: string) => parseEnv({ TRUST_PROXY: value }).TRUST_PROXY
    expect(trust(undefined)).toBe(false)
    expect(trust('false')).toBe(false)
    expect(trust('0')).toBe(false)
    expect(trust('2')).toBe(2)
    expect(trust('10.0.0.5, 10.1.0.0/16,fd00::/8, loopback')).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'fd00::/8',
      'loopback',
    ])
  })
  it('refuses TRUST_PROXY=true, which let a client choose its own address', () => {
    expect(() => parseEnv({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY="true": true would believe any X-Forwarded-For/,
    )
  })
  it('names TRUST_PROXY entries that are not addresses or ranges', () => {
    expect(() => parseEnv({ TRUST_PROXY: '10.0.0.0/33, proxy.local, 10.0.0.1' })).toThrow(
      /not a proxy address or CIDR range: 10\.0\.0\.0\/33, proxy\.local/,
    )
    expect(() => parseEnv({ TRUST_PROXY: '11' })).toThrow(/at most 10 proxy hops/)
  })
})

describe('isSameOriginRequest', () => {
  const allowed: string[] = ['https://sansang.example']
  it('trusts Fetch Metadata first', () => {
    expect(isSameOriginRequest({ secFetchSite: 'same-origin' }, 'http', allowed)).toBe(true)
    expect(
      isSameOriginRequest(
        { secFetchSite: 'cross-site', origin: 'http://a', host: 'a' },
        'http',
        allowed,
      ),
    ).toBe(false)
    expect(isSameOriginRequest({ secFetchSite: 'same-site' }, 'http', allowed)).toBe(false)
  })
  it('falls back to Origin against the host', () => {
    expect(
      isSameOriginRequest(
        { origin: 'http://localhost:3000', host: 'localhost:3000' },
        'http',
        allowed,
      ),
    ).toBe(true)
    expect(
      isSameOriginRequest(
        { origin: 'http://evil.example', host: 'localhost:3000' },
        'http',
        allowed,
      ),
    ).toBe(false)
    expect(
      isSameOriginRequest(
        { origin: 'https://sansang.example', host: 'internal:3000' },
        'http',
        allowed,
      ),
    ).toBe(true)
  })
  it('refuses a request with neither header', () => {
    expect(isSameOriginRequest({ host: 'localhost:3000' }, 'http', allowed)).toBe(false)
  })
})

describe('safeRedirectPath', () => {
  it('keeps same-site paths and refuses everything else', () => {
    expect(safeRedirectPath('/facilities/3?x=1')).toBe('/facilities/3?x=1')
    expect(safeRedirectPath('//evil.example')).toBe('/')
    expect(safeRedirectPath('https://evil.example')).toBe('/')
    expect(safeRedirectPath('/\\evil.example')).toBe('/')
    expect(safeRedirectPath(undefined)).toBe('/')
  })
})

describe('canAccessFacility', () => {
  const user = (
    role: SessionUser['role'],
    facilityId: number | null,
    provinceCode: string | null,
  ): SessionUser => ({
    id: 1,
    login: 'u',
    displayName: 'U',
    role,
    facilityId,
    provinceCode,
    sessionIdHash: 'h',
  })
  const facility = { id: 7, province_code: '38' }
  it('follows the scope of each role', () => {
    expect(canAccessFacility(user('director', 7, null), facility)).toBe(true)
    expect(canAccessFacility(user('director', 8, null), facility)).toBe(false)
    expect(canAccessFacility(user('staff', 7, null), facility)).toBe(true)
    expect(canAccessFacility(user('province_reviewer', null, '38'), facility)).toBe(true)
    expect(canAccessFacility(user('province_reviewer', null, '04'), facility)).toBe(false)
    expect(canAccessFacility(user('ministry_reviewer', null, null), facility)).toBe(true)
    expect(canAccessFacility(user('admin', null, null), facility)).toBe(true)
  })
})

describe('locale files', () => {
  const resources = serverResources()
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
    )
  it('have the same namespaces and keys in Vietnamese and English, none empty', () => {
    expect(Object.keys(resources.en).sort()).toEqual(Object.keys(resources.vi).sort())
    expect(Object.keys(resources.vi)).toContain('common')
    for (const ns of Object.keys(resources.vi)) {
      const vi = resources.vi[ns] ?? {}
      const en = resources.en[ns] ?? {}
      expect(keys(en).sort(), ns).toEqual(keys(vi).sort())
      for (const file of [vi, en]) {
        for (const key of keys(file)) {
          const value = key
            .split('.')
            .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], file)
          expect(typeof value === 'string' && value.length > 0, `${ns}:${key}`).toBe(true)
        }
      }
    }
  })
})

import { describe, expect, it, vi } from 'vitest'
import { ApiErrorSchema } from '../../../app/utils/api-contract.ts'
import { jsonEndpoint } from '../../../app/utils/json-endpoint.server.ts'
import {
  describeStorageFailure,
  storageFailureOf,
} from '../../../app/utils/storage-error.server.ts'

/** What better-sqlite3 and Node throw: an Error with a string `code`. */
const failing = (code: string, message = code) => Object.assign(new Error(message), { code })

describe('storageFailureOf', () => {
  it('recognises SQLite codes, extended ones included', () => {
    expect(storageFailureOf(failing('SQLITE_FULL'))).toBe('full')
    expect(storageFailureOf(failing('SQLITE_READONLY_DBMOVED'))).toBe('read_only')
    expect(storageFailureOf(failing('SQLITE_IOERR_FSYNC'))).toBe('io')
    expect(storageFailureOf(failing('SQLITE_CANTOPEN'))).toBe('cannot_open')
  })
  it('recognises the file system and PostgreSQL, through causes', () => {
    expect(storageFailureOf(failing('ENOSPC'))).toBe('full')
    expect(storageFailureOf(failing('EROFS'))).toBe('read_only')
    expect(storageFailureOf(failing('53100'))).toBe('full')
    expect(storageFailureOf(new Error('wrapped', { cause: failing('SQLITE_FULL') }))).toBe('full')
  })
  it('leaves every other error alone', () => {
    expect(storageFailureOf(failing('SQLITE_CONSTRAINT_UNIQUE'))).toBeNull()
    expect(storageFailureOf(failing('SQLITE_BUSY'))).toBeNull()
    expect(storageFailureOf(new TypeError('x is undefined'))).toBeNull()
    expect(storageFailureOf('SQLITE_FULL')).toBeNull()
    expect(storageFailureOf(null)).toBeNull()
  })
  it('describes a failure for an operator, naming the file and what to do', () => {
    const text = describeStorageFailure(
      'full',
      'data/x.sqlite',
      failing('SQLITE_FULL', 'database or disk is full'),
    )
    expect(text).toBe(
      'the database data/x.sqlite cannot be written: the disk is full: free space on the disk that holds it (SQLITE_FULL: database or disk is full)',
    )
  })
})

describe('jsonEndpoint', () => {
  const request = new Request('http://localhost/assessment/save', { method: 'POST' })

  it('answers a storage failure with the contract’s 503', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const response = await jsonEndpoint(request, () => Promise.reject(failing('SQLITE_FULL')))
    expect(response.status).toBe(503)
    const body = ApiErrorSchema.parse(await response.json())
    expect(body.error.code).toBe('storage_unavailable')
    expect(body.error.message).toBe(
      'Máy chủ chưa lưu được thay đổi của bạn; chúng vẫn được giữ trên máy này.',
    )
    expect(warn).toHaveBeenCalledOnce()
  })

  it('passes a thrown Response through and turns anything else into the contract’s 500', async () => {
    const denied = new Response('x', { status: 401 })
    expect(await jsonEndpoint(request, () => Promise.reject(denied))).toBe(denied)
    // The bug is logged; replace the fail-on-console.error spy for this expected one.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = await jsonEndpoint(request, () => Promise.reject(new TypeError('bug')))
    expect(response.status).toBe(500)
    expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('server_error')
    expect(logged).toHaveBeenCalledOnce()
  })
})

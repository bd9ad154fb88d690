import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { ApiErrorSchema } from '../../../app/utils/api-contract.ts'
import { apiError, parseJsonBody } from '../../../app/utils/api-error.server.ts'

const english = (body: string | null, contentType = 'application/json') =>
  new Request('http://localhost/x', {
    method: 'POST',
    headers: { cookie: 'sansang_lang=en', 'content-type': contentType },
    body,
  })

describe('the JSON error contract', () => {
  it('writes code, status and a message in the reader’s language', async () => {
    const vi = apiError(new Request('http://localhost/'), 'payload_too_large')
    expect(vi.status).toBe(413)
    expect(vi.headers.get('cache-control')).toBe('no-store')
    const body = ApiErrorSchema.parse(await vi.json())
    expect(body.error.code).toBe('payload_too_large')
    expect(body.error.message).toBe('Nội dung gửi lên quá lớn.')
    const en = ApiErrorSchema.parse(await apiError(english(null), 'unauthenticated').json())
    expect(en.error.message).toMatch(/sign in again/)
  })

  it('answers a body that is not JSON, or does not fit, with 400 and the fields', async () => {
    const schema = z.strictObject({ roundId: z.number() })
    const notJson = await parseJsonBody(english('{'), schema).catch((r: unknown) => r)
    expect(notJson).toBeInstanceOf(Response)
    const a = ApiErrorSchema.parse(await (notJson as Response).json())
    expect(a.error).toMatchObject({
      code: 'bad_request',
      message: 'The request body must be JSON.',
    })
    const misfit = await parseJsonBody(english('{"roundId":"x","extra":1}'), schema).catch(
      (r: unknown) => r,
    )
    expect((misfit as Response).status).toBe(400)
    const b = ApiErrorSchema.parse(await (misfit as Response).json())
    expect(b.error.issues?.map((i) => i.path).sort()).toEqual(['', 'roundId'])
    await expect(parseJsonBody(english('{"roundId":3}'), schema)).resolves.toEqual({ roundId: 3 })
  })
})

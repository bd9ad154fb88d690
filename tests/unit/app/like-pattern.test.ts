import { describe, expect, it } from 'vitest'
import { likePattern } from '../../../app/models/facility-list.server.ts'

describe('likePattern', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    expect(likePattern('bach mai')).toBe('%bach mai%')
    expect(likePattern('50%_x\\')).toBe('%50\\%\\_x\\\\%')
  })
})

import { describe, expect, it } from 'vitest'
import {
  bodyRuleFor,
  FORM_BODY_LIMIT,
  MODEL_UPLOAD_BODY_LIMIT,
} from '../../../app/utils/request-body.server.ts'

describe('bodyRuleFor', () => {
  it('gives the model upload its limit at the route and at its single-fetch URL', () => {
    const rule = { kind: 'form', limit: MODEL_UPLOAD_BODY_LIMIT }
    expect(bodyRuleFor('/admin/models/new')).toEqual(rule)
    // A hydrated page posts the form to `<route>.data`.
    expect(bodyRuleFor('/admin/models/new.data')).toEqual(rule)
    expect(bodyRuleFor('/admin/models/new/')).toEqual(rule)
    expect(MODEL_UPLOAD_BODY_LIMIT).toBeGreaterThan(4 * 1024 * 1024)
  })

  it('keeps every other form at the form limit', () => {
    expect(bodyRuleFor('/admin/models/preview.data')).toEqual({
      kind: 'form',
      limit: FORM_BODY_LIMIT,
    })
    expect(bodyRuleFor('/_root.data')).toEqual({ kind: 'form', limit: FORM_BODY_LIMIT })
  })
})

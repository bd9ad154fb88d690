/**
 * What a request body may be, per route, decided before any of it is read.
 * app/server.ts (Express) holds the mechanics: it asks `checkRequestHead`
 * with the headers alone, reads at most the returned limit into memory, asks
 * `checkRequestBody` with the bytes, and only then hands the request to
 * Remix. So no action ever sees a body larger than its route allows, and a
 * body an action could not parse is refused here with a 4xx instead of
 * failing inside it with a 500.
 *
 * These run inside the server build (re-exported by entry.server.tsx, like
 * `afterStart`) so their answers come from `apiError` with the reader's
 * language, the same as every other JSON error.
 *
 * Limits:
 * - JSON endpoints (autosave, submit, evidence removal): 1 MiB; a whole questionnaire's answers
 *   are a few KiB.
 * - The evidence upload: the largest file plus 64 KiB of multipart envelope;
 *   the route itself refuses a file part over the limit.
 * - The model-version upload: a questionnaire and a model of at most 2 MiB
 *   each, as a form (files or pasted text).
 * - Everything else is a form (sign-in, language, review, wave planner):
 *   64 KiB, URL-encoded or multipart, and the multipart must parse.
 * Whatever the kind, text in the body holds no control character but tab,
 * LF and CR (`checkRequestBody`).
 */
import { BULK_MAX_BYTES } from '../admin/bulk.server.ts'
import { MAX_MODEL_FILE_BYTES } from '../admin/models/upload.server.ts'
import { MAX_REGISTRY_BYTES } from '../admin/registry/read-file.server.ts'
import { MAX_EVIDENCE_BYTES } from '../assessment/evidence.server.ts'
import { getI18n } from '../i18n.ts'
import { apiError } from './api-error.server.ts'
import {
  controlCharacterInForm,
  controlCharacterInJson,
  type ControlCharacterAt,
} from './control-characters.ts'
import { KIB, MIB } from './bytes.ts'
import { getLocale } from './locale.server.ts'

export type BodyKind = 'json' | 'upload' | 'form'

export interface BodyRule {
  kind: BodyKind
  /** Bytes of body read at most; more is refused with 413. */
  limit: number
}

export const JSON_BODY_LIMIT = MIB
export const UPLOAD_BODY_LIMIT = MAX_EVIDENCE_BYTES + 64 * KIB
export const FORM_BODY_LIMIT = 64 * KIB
/** The registry file at its limit and the multipart envelope. */
export const REGISTRY_UPLOAD_BODY_LIMIT = MAX_REGISTRY_BYTES + 64 * KIB
/** The accounts file, sent again as the preview's rows (the route's own check is 3×). */
export const BULK_UPLOAD_BODY_LIMIT = 3 * BULK_MAX_BYTES + 64 * KIB
/** A questionnaire and a model, each up to the file limit, and the multipart envelope. */
export const MODEL_UPLOAD_BODY_LIMIT = 2 * MAX_MODEL_FILE_BYTES + 64 * KIB

const RULES: Record<string, BodyRule> = {
  '/assessment/save': { kind: 'json', limit: JSON_BODY_LIMIT },
  '/assessment/submit': { kind: 'json', limit: JSON_BODY_LIMIT },
  '/assessment/evidence': { kind: 'upload', limit: UPLOAD_BODY_LIMIT },
  '/assessment/evidence/remove': { kind: 'json', limit: JSON_BODY_LIMIT },
  // A form (file inputs or pasted text), parsed whole here like every form.
  '/admin/models/new': { kind: 'form', limit: MODEL_UPLOAD_BODY_LIMIT },
  // A national registry file (13,000 rows is about 2 MB of CSV) and a bulk accounts file.
  '/admin/facilities/import': { kind: 'form', limit: REGISTRY_UPLOAD_BODY_LIMIT },
  '/admin/users/import': { kind: 'form', limit: BULK_UPLOAD_BODY_LIMIT },
}
const FORM_RULE: BodyRule = { kind: 'form', limit: FORM_BODY_LIMIT }

/**
 * The rule for a path; anything not listed is a form. A hydrated page posts
 * its forms to the route's single-fetch URL (`/admin/models/new.data`), which
 * has the same rule as the route.
 */
export function bodyRuleFor(pathname: string): BodyRule {
  return RULES[pathname.replace(/\.data$/, '').replace(/\/+$/, '') || '/'] ?? FORM_RULE
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/** "1 MB", "64 KB": the limit as the message shows it. */
function sizeLabel(bytes: number): string {
  return bytes >= MIB ? `${Math.floor(bytes / MIB)} MB` : `${Math.floor(bytes / KIB)} KB`
}

/** 413 in the contract, naming the route's limit. */
export function tooLarge(request: Request, rule: BodyRule): Response {
  const t = getI18n(getLocale(request)).t
  return apiError(request, 'payload_too_large', {
    message: t('common:requestBody.tooLarge', { size: sizeLabel(rule.limit) }),
    // The rest of the body is never read: close the connection instead of draining it.
    headers: { Connection: 'close' },
  })
}

/**
 * 403 in the contract for a state-changing request from another site
 * (app/server.ts decides, from Origin and Sec-Fetch-Site, before any body is read).
 */
export function crossSiteRefused(request: Request): Response {
  const t = getI18n(getLocale(request)).t
  return apiError(request, 'forbidden', {
    message: t('common:requestBody.crossSite'),
    headers: { Connection: 'close' },
  })
}

export type HeadCheck = { ok: true; rule: BodyRule } | { ok: false; response: Response }

/**
 * From the headers alone (`request` has no body yet): the route's rule, or
 * the refusal — a declared length over the limit (413), a form route sent
 * something other than a form (415).
 */
export function checkRequestHead(request: Request): HeadCheck {
  const rule = bodyRuleFor(new URL(request.url).pathname)
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > rule.limit) {
    return { ok: false, response: tooLarge(request, rule) }
  }
  if (rule.kind === 'form' && !FORM_TYPES.includes(mediaType(request))) {
    const t = getI18n(getLocale(request)).t
    return {
      ok: false,
      response: apiError(request, 'unsupported_media_type', {
        message: t('common:requestBody.formExpected'),
      }),
    }
  }
  return { ok: true, rule }
}

/**
 * With the whole body (`request` carries it, within the limit):
 * - a form route's multipart body must parse, or the action's `formData()`
 *   would throw a 500;
 * - no text in it — a form field, a file's name, a string or key of a JSON
 *   body — may hold a control character other than tab, LF and CR
 *   (app/utils/control-characters.ts). Refused here, every action is covered
 *   and none writes a byte of it: PostgreSQL cannot store a NUL at all. The
 *   400 names the field and the character.
 * JSON that does not parse and uploads that do not parse are left to their
 * routes, which answer 400 in the contract themselves.
 */
export async function checkRequestBody(request: Request, rule: BodyRule): Promise<Response | null> {
  const type = mediaType(request)
  if (type === 'application/json') {
    let body: unknown
    try {
      body = await request.json()
    } catch {
      return null
    }
    return refusedControl(request, controlCharacterInJson(body))
  }
  if (!FORM_TYPES.includes(type)) return null
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    if (rule.kind !== 'form' || type !== 'multipart/form-data') return null
    const t = getI18n(getLocale(request)).t
    return apiError(request, 'bad_request', { message: t('common:requestBody.brokenForm') })
  }
  return refusedControl(request, controlCharacterInForm(form))
}

/** The contract's 400 for a control character, naming where it is; null when there is none. */
function refusedControl(request: Request, found: ControlCharacterAt | null): Response | null {
  if (!found) return null
  const message = getI18n(getLocale(request)).t('common:requestBody.controlCharacter', {
    field: found.field,
    character: found.character,
  })
  return apiError(request, 'bad_request', { message, issues: [{ path: found.field, message }] })
}

/**
 * The one home of the control characters the app refuses in what people
 * type or upload (issue #18). Control characters (Unicode category Cc: C0
 * U+0000–U+001F, DEL, C1 U+0080–U+009F) are never part of a government
 * record; NUL cannot even be stored in PostgreSQL text, so one that got
 * through failed the request with a 500 there. Tab, LF and CR are the only
 * controls real text holds (a note's lines, a cell copied from a
 * spreadsheet), so text may keep them; single-line fields normalise or refuse
 * them in their own schemas. A redirect target refuses more (every control,
 * format character and separator but the space), built on the same class.
 */

/**
 * A control character other than tab, LF and CR: "not a non-control, nor
 * tab, LF or CR". Plain `u` expressions (no `v`-flag set difference), which
 * every browser a tablet may run reads, should this module ever be bundled.
 */
const CONTROL_IN_TEXT = /[^\P{Cc}\t\n\r]/u
const CONTROLS_IN_TEXT = /[^\P{Cc}\t\n\r]/gu

/**
 * What a redirect path may not hold: any control (`\p{Cc}`, the class
 * above without its exceptions), format characters, line and paragraph
 * separators, and any space but U+0020.
 */
export const NOT_IN_REDIRECT_PATH = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[^\P{Zs} ]/u

/**
 * Whether `text` is one line: a single-line field (a name, a label) refuses
 * the tab, LF and CR that multi-line text may hold.
 */
export function isSingleLine(text: string): boolean {
  return !/[\t\n\r]/.test(text)
}

/** The first control character `text` may not hold, as `U+0000`; null when there is none. */
export function controlCharacterIn(text: string): string | null {
  const found = CONTROL_IN_TEXT.exec(text)
  if (!found) return null
  return codePointLabel(found[0])
}

/** `text` with each refused control character shown as `[U+0000]`, for a message quoting the value. */
export function showControlCharacters(text: string): string {
  return text.replace(CONTROLS_IN_TEXT, (c) => `[${codePointLabel(c)}]`)
}

function codePointLabel(character: string): string {
  const code = character.codePointAt(0) ?? 0
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/** A place in a request body holding a refused control character. */
export interface ControlCharacterAt {
  /** The form field's name, or the JSON value's dotted path (`changes.note`). */
  field: string
  character: string
}

/**
 * The first string in a parsed JSON value (keys included) holding a refused
 * control character, with its dotted path; null when there is none.
 */
export function controlCharacterInJson(value: unknown, path = ''): ControlCharacterAt | null {
  if (typeof value === 'string') {
    const character = controlCharacterIn(value)
    return character ? { field: path, character } : null
  }
  if (typeof value !== 'object' || value === null) return null
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value)
  for (const [key, inner] of entries) {
    const at = path ? `${path}.${key}` : key
    const inKey = controlCharacterIn(key)
    if (inKey) return { field: showControlCharacters(at), character: inKey }
    const found = controlCharacterInJson(inner, at)
    if (found) return found
  }
  return null
}

/**
 * The first field of a form holding a refused control character: in a text
 * field's name or value, or in an uploaded file's name (the file's bytes are
 * its reader's business: an XLSX file is a zip). Null when there is none.
 */
export function controlCharacterInForm(form: FormData): ControlCharacterAt | null {
  for (const [name, value] of form.entries()) {
    const text = typeof value === 'string' ? value : value.name
    const character = controlCharacterIn(name) ?? controlCharacterIn(text)
    if (character) return { field: showControlCharacters(name), character }
  }
  return null
}

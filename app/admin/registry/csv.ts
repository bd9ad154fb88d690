/**
 * Reading CSV text as the registry importer needs it: RFC 4180 quoting,
 * comma or semicolon, LF, CRLF or a lone CR, and the line each record starts
 * on, so every error names the row a spreadsheet or an editor shows.
 *
 * Hand-written on purpose: csv-parse 7.0.3 counts a quoted CRLF as two lines,
 * so its line numbers drift after the first multi-line cell, and row numbers
 * are the one thing the preview must get right.
 */

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number
  fields: string[]
}

export type CsvDelimiter = ',' | ';'

/**
 * The delimiter of a file, decided on its first non-blank line (the header):
 * the one of `;` and `,` that occurs more often outside quotes. A header of
 * known column names never contains either inside a name, so this is exact
 * for every file the importer accepts.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  let commas = 0
  let semicolons = 0
  let quoted = false
  let seen = false
  for (const char of text) {
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) {
      if (seen) break
    } else if (!quoted && char === ',') commas++
    else if (!quoted && char === ';') semicolons++
    if (char.trim() !== '') seen = true
  }
  return semicolons > commas ? ';' : ','
}

/**
 * Splits CSV text into records. A quote opens a quoted field only at the start
 * of a field; inside one, `""` is a quote and line breaks belong to the field.
 * Text after a closing quote is kept (as spreadsheets do). An unterminated
 * quote is reported with the line it opened on.
 */
export function parseCsv(
  text: string,
  delimiter: CsvDelimiter,
): { records: CsvRecord[] } | { unterminatedQuoteAt: number } {
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let quoted = false
  let quoteLine = 0
  let atFieldStart = true
  const endRecord = () => {
    fields.push(field)
    records.push({ line: recordLine, fields })
    fields = []
    field = ''
    atFieldStart = true
  }
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else {
        if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line++
        field += char
      }
      continue
    }
    if (char === '"' && atFieldStart) {
      quoted = true
      quoteLine = line
      atFieldStart = false
    } else if (char === delimiter) {
      fields.push(field)
      field = ''
      atFieldStart = true
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++
      endRecord()
      line++
      recordLine = line
    } else {
      field += char
      atFieldStart = false
    }
  }
  if (quoted) return { unterminatedQuoteAt: quoteLine }
  // A last line without a line break is still a record; a trailing break adds none.
  if (field !== '' || fields.length > 0) endRecord()
  return { records }
}

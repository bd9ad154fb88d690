/**
 * exceljs zips the workbook with JSZip, which stamps every entry with the
 * current time and offers no option to change it through exceljs. To make a
 * saved run's XLSX byte-identical on every download, the DOS date and time of
 * each entry (local header and central directory) are rewritten to a fixed
 * instant. Only those four bytes per header change; the CRCs cover the data,
 * not the headers, so the archive stays valid.
 */

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

/** DOS date/time (local fields, 2-second resolution, years 1980–2107), from the UTC parts. */
export function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, at.getUTCFullYear()))
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  }
}

/**
 * Returns a copy of the zip with every entry dated `at`.
 * Throws when the bytes are not a zip this function understands (no
 * end-of-central-directory record, or a header that is not where it says).
 *
 * @example fixZipTimestamps(await workbook.xlsx.writeBuffer(), new Date('2026-11-01T00:00:00Z'))
 */
export function fixZipTimestamps(input: Uint8Array, at: Date): Buffer {
  const buf = Buffer.from(input)
  const { time, date } = dosDateTime(at)
  // The end-of-central-directory record is 22 bytes plus a comment of up to 64 kB.
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end-of-central-directory record')
  const entries = buf.readUInt16LE(eocd + 10)
  let offset = buf.readUInt32LE(eocd + 16)
  for (let n = 0; n < entries; n++) {
    if (buf.readUInt32LE(offset) !== CENTRAL) throw new Error(`bad central header at ${offset}`)
    buf.writeUInt16LE(time, offset + 12)
    buf.writeUInt16LE(date, offset + 14)
    const local = buf.readUInt32LE(offset + 42)
    if (buf.readUInt32LE(local) !== LOCAL) throw new Error(`bad local header at ${local}`)
    buf.writeUInt16LE(time, local + 10)
    buf.writeUInt16LE(date, local + 12)
    const nameLength = buf.readUInt16LE(offset + 28)
    const extraLength = buf.readUInt16LE(offset + 30)
    const commentLength = buf.readUInt16LE(offset + 32)
    offset += 46 + nameLength + extraLength + commentLength
  }
  return buf
}

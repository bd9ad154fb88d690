/**
 * What an evidence file may be, in one place for the server (which decides)
 * and the browser (which checks before sending, so a wrong file costs no
 * upload on a slow link): PDF, PNG or JPEG by the file's own first bytes,
 * at most 10 MiB.
 */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

export type EvidenceMime = 'application/pdf' | 'image/png' | 'image/jpeg'

/** For the file picker's `accept`. */
export const EVIDENCE_ACCEPT = 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg'

/** The type from the file's magic bytes, or null when it is not PDF, PNG or JPEG. */
export function sniffMimeType(bytes: Uint8Array): EvidenceMime | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b)
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf' // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg'
  return null
}

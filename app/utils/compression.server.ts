/**
 * Compression and caching for slow links (a district hospital's 400 kbit/s):
 * - every compressible response is compressed on the fly, brotli when the
 *   browser takes it (gzip otherwise), by the `compression` middleware;
 *   already-compressed types (PDF, images, XLSX, ZIP) are left alone, and so
 *   are event streams, whose events must leave at once;
 * - hashed build assets are served from files compressed once at build time
 *   (brotli at its best quality, and gzip: see vite.config.ts) and cached
 *   for a year as `immutable`: their name changes when their content does.
 */
import { constants } from 'node:zlib'
import compression from 'compression'
import type { Request, RequestHandler, Response } from 'express'
import expressStaticGzip from 'express-static-gzip'

/**
 * Brotli quality for responses compressed per request: 5 is about as fast
 * as gzip's default and about 15 % smaller; 11 (used for the build's assets)
 * costs a second per megabyte, too slow for a page.
 */
const DYNAMIC_BROTLI_QUALITY = 5

/**
 * Bodies whose Content-Length is below this go as they are (the headers would
 * cost more). Streamed bodies (Remix's pages and data) declare no length, so
 * `compression` cannot know their size and compresses them all: a small one
 * costs a few bytes, a large one saves most of its size.
 */
export const COMPRESSION_THRESHOLD = 1024

/** Should this response be compressed? compression's own rule, less event streams. */
export function shouldCompress(req: Request, res: Response): boolean {
  const type = String(res.getHeader('Content-Type') ?? '')
  if (/^text\/event-stream/i.test(type)) return false
  return compression.filter(req, res)
}

export function compressResponses(): RequestHandler {
  return compression({
    filter: shouldCompress,
    threshold: COMPRESSION_THRESHOLD,
    brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY } },
  })
}

/** One year, the longest `max-age` browsers honour. */
export const IMMUTABLE_MAX_AGE = '1y'

/**
 * The hashed assets (`build/client/assets`): the precompressed `.br` or
 * `.gz` beside each file when the browser accepts it, else the file itself.
 */
export function serveHashedAssets(dir: string): RequestHandler {
  return expressStaticGzip(dir, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    serveStatic: { immutable: true, maxAge: IMMUTABLE_MAX_AGE, index: false },
  })
}

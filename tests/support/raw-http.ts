/**
 * HTTP at the level fetch hides: a declared Content-Length larger than what
 * is sent, chunked bodies written piece by piece, and the answer read while
 * the body is still going out (fetch would fail the upload instead).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'

export interface RawAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
  /** Body bytes written before the answer arrived. */
  sent: number
}

export interface RawRequest {
  origin: string
  path: string
  method?: string
  headers?: Record<string, string>
  /** Written at once; with `declaredLength` larger, the request is left unfinished. */
  body?: Buffer | string
  declaredLength?: number
  /** Written chunk by chunk (Transfer-Encoding: chunked) until the answer comes or `maxBytes`. */
  chunks?: { size: number; maxBytes: number }
}

export function rawRequest(options: RawRequest): Promise<RawAnswer> {
  const url = new URL(options.path, options.origin)
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body
  const headers: Record<string, string> = { origin: options.origin, ...options.headers }
  if (options.declaredLength !== undefined) {
    headers['content-length'] = String(options.declaredLength)
  } else if (body && !options.chunks) {
    headers['content-length'] = String(body.length)
  }
  return new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const req = httpRequest(
      url,
      { method: options.method ?? 'POST', headers, agent: false },
      (res) => {
        answered = true
        const parts: Buffer[] = []
        res.on('data', (c: Buffer) => parts.push(c))
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString('utf8'),
            sent,
          })
          req.destroy()
        })
        res.on('error', reject)
      },
    )
    // The server may close while we still write: that is the point, not a failure.
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    if (body) {
      req.write(body)
      sent += body.length
    }
    if (options.chunks) {
      const { size, maxBytes } = options.chunks
      const chunk = Buffer.alloc(size, 'a')
      const pump = () => {
        while (!answered && !req.destroyed && sent < maxBytes) {
          sent += size
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        if (!answered && !req.destroyed) req.end()
      }
      pump()
    } else if (
      options.declaredLength === undefined ||
      options.declaredLength <= (body?.length ?? 0)
    ) {
      req.end()
    }
  })
}

/**
 * Server rendering with streaming for browsers and complete HTML for bots,
 * a CSP nonce per request, and no-store on every response.
 */
import { randomBytes } from 'node:crypto'
import { PassThrough } from 'node:stream'
import type { EntryContext, HandleDataRequestFunction } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { applyNoStore, contentSecurityPolicy } from './utils/headers.server.ts'
import { NonceContext } from './utils/nonce.tsx'
import { getDb } from './utils/db.server.ts'
import { getEnv } from './utils/env.server.ts'
import { nowIso } from './utils/time.server.ts'
import { warmWaveInputs } from './waves/wave-inputs.server.ts'

// Parse the environment at boot: a bad variable stops the server here.
getEnv()

/**
 * Work to do once the server listens (app/server.ts calls it): exported here
 * because only the bundle's own module instances hold the caches it fills.
 */
export async function afterStart(): Promise<string> {
  const cached = await warmWaveInputs(getDb(), nowIso().slice(0, 10))
  return `${cached} stored scores ready for the wave planner`
}

// The request-body policy app/server.ts applies before Remix reads a body:
// exported here so its answers use the bundle's i18n and error contract.
export { checkRequestBody, checkRequestHead, tooLarge } from './utils/request-body.server.ts'

const ABORT_DELAY = 5_000

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
): Promise<Response> {
  const nonce = randomBytes(16).toString('base64')
  const bot = isbot(request.headers.get('user-agent') ?? '')
  if (getEnv().NODE_ENV === 'production') {
    responseHeaders.set('Content-Security-Policy', contentSecurityPolicy(nonce))
  }
  applyNoStore(responseHeaders)
  return new Promise((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={nonce}
        />
      </NonceContext.Provider>,
      {
        nonce,
        [bot ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true
          const body = new PassThrough()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // Errors after the shell are logged here; before it, Remix reports them.
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}

export const handleDataRequest: HandleDataRequestFunction = (response) => {
  applyNoStore(response.headers)
  return response
}

/**
 * Server rendering with streaming for browsers and complete HTML for bots,
 * a CSP nonce per request, and no-store on every response.
 *
 * Rendered with react-dom's web-streams build (`renderToReadableStream` from
 * `react-dom/server.browser`, the renderer of Remix's Cloudflare and Deno
 * entries), not the Node build's `renderToPipeableStream`: React 18's Node
 * build writes its whole 2,048-byte view when `TextEncoder.encodeInto` stops
 * short of a multi-byte character, so NUL bytes appeared wherever a chunk
 * boundary fell inside a Vietnamese letter (facebook/react#26228, fixed only
 * in React 19, which Remix 2 does not accept). The web-streams build encodes
 * each string whole before copying its bytes. See README, Decisions.
 */
import { randomBytes } from 'node:crypto'
import type { EntryContext, HandleDataRequestFunction } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToReadableStream } from 'react-dom/server.browser'
import { rescoreStaleDrafts } from './assessment/draft-score.server.ts'
import { applyNoStore, contentSecurityPolicy } from './utils/headers.server.ts'
import { NonceContext } from './utils/nonce.tsx'
import { getDb } from './utils/db.server.ts'
import { getEnv } from './utils/env.server.ts'
import { todayInVietnam } from './utils/time.server.ts'
import { warmWaveInputs } from './waves/wave-inputs.server.ts'

// Parse the environment at boot: a bad variable stops the server here.
getEnv()

/**
 * Work to do once the server listens (app/server.ts calls it): exported here
 * because only the bundle's own module instances hold the caches it fills.
 */
export async function afterStart(): Promise<string> {
  const cached = await warmWaveInputs(getDb(), todayInVietnam())
  // Draft scores a stopped process left waiting (draft-score.server.ts).
  const rescored = await rescoreStaleDrafts(getDb())
  return `${cached} stored scores ready for the wave planner; ${rescored} draft scores brought up to date`
}

// The request-body policy app/server.ts applies before Remix reads a body:
// exported here so its answers use the bundle's i18n and error contract.
export {
  checkRequestBody,
  checkRequestHead,
  crossSiteRefused,
  tooLarge,
} from './utils/request-body.server.ts'

// Autosave, which app/server.ts answers itself, without Remix's request
// pipeline, through the function the route's action calls too.
export { answerSaveRequest } from './assessment/save-route.server.ts'

const ABORT_DELAY = 5_000

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
): Promise<Response> {
  const nonce = randomBytes(16).toString('base64')
  if (getEnv().NODE_ENV === 'production') {
    responseHeaders.set('Content-Security-Policy', contentSecurityPolicy(nonce))
  }
  applyNoStore(responseHeaders)
  let shellRendered = false
  // Rendering stops when the client goes away, or after ABORT_DELAY. Neither may
  // abort it once everything is rendered: React 18 then closes the finished
  // stream a second time and throws.
  const render = new AbortController()
  let rendered = false
  const stop = () => {
    if (!rendered) render.abort()
  }
  const timer = setTimeout(stop, ABORT_DELAY)
  request.signal.addEventListener('abort', stop, { once: true })
  const finish = () => {
    rendered = true
    clearTimeout(timer)
    request.signal.removeEventListener('abort', stop)
  }
  let body: Awaited<ReturnType<typeof renderToReadableStream>>
  try {
    body = await renderToReadableStream(
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
        signal: render.signal,
        onError(error: unknown) {
          responseStatusCode = 500
          // Errors after the shell are logged here; before it, Remix reports them.
          if (shellRendered) console.error(error)
        },
      },
    )
  } catch (error) {
    finish()
    throw error
  }
  body.allReady.then(finish, finish)
  shellRendered = true
  // Bots (and anything that cannot run scripts) get the complete document at once.
  if (isbot(request.headers.get('user-agent') ?? '')) await body.allReady
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  return new Response(body, { headers: responseHeaders, status: responseStatusCode })
}

export const handleDataRequest: HandleDataRequestFunction = (response) => {
  applyNoStore(response.headers)
  return response
}

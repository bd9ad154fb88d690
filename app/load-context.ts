/** What the server (app/server.ts) hands every loader and action. */
import '@remix-run/node'

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The client's address, for rate limiting and audit rows. */
    clientIp: string
    /** A per-request id, written into audit rows. */
    requestId: string
  }
}

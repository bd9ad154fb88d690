/**
 * The most submissions one bulk verification takes (one transaction). Shared
 * by the server check and the page that says it, so it lives outside *.server.ts.
 */
export const MAX_BULK = 2000

/** The per-request CSP nonce, handed from entry.server to the document's scripts. */
import { createContext, useContext } from 'react'

export const NonceContext = createContext<string>('')

export function useNonce(): string {
  return useContext(NonceContext)
}

/**
 * Moves focus (and so the view) to a message or confirmation each time a new
 * one is shown, so a reviewer who pressed a button at the bottom of a long
 * page sees what happened and a screen reader reads it. The element needs
 * `tabIndex={-1}`. Without JavaScript the page reloads with the message near
 * its top, where the reader already is.
 */
import { useEffect, useRef } from 'react'

export function useFocusOnShow<T extends HTMLElement>(shown: unknown) {
  const ref = useRef<T>(null)
  useEffect(() => {
    if (shown === undefined || shown === null) return
    const element = ref.current
    if (!element) return
    element.focus({ preventScroll: true })
    element.scrollIntoView({ block: 'start' })
  }, [shown])
  return ref
}

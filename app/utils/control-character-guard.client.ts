/**
 * The browser's half of the control-character rule (issue #18). The server
 * refuses a body holding one before any action runs (request-body.server.ts),
 * but a hydrated form that gets that refusal can only show the error page,
 * and what was typed is gone. So a form about to be sent is checked here
 * first, with the same rule (app/utils/control-characters.ts): the first
 * field holding one is marked invalid with the message naming it and the
 * character, the form is not sent, and everything typed stays where it was.
 * Typing in the field clears the mark. The server's check still decides.
 *
 * Installed by entry.client.tsx before hydration, so it also holds for a
 * form sent while the page is still loading its scripts.
 */
import { controlCharacterIn } from './control-characters.ts'

type TextControl = HTMLInputElement | HTMLTextAreaElement

/** A field the user types in and the form sends (hidden fields are the page's own: the server's check covers them). */
function isTypedField(element: Element): element is TextControl {
  const typed =
    (element instanceof HTMLInputElement && !['file', 'hidden'].includes(element.type)) ||
    element instanceof HTMLTextAreaElement
  return typed && !element.disabled
}

/** What the message calls the field: its label as shown, else its name. */
function fieldLabel(element: TextControl): string {
  return element.labels?.[0]?.textContent?.trim() || element.name
}

export function installControlCharacterGuard(
  message: (field: string, character: string) => string,
): void {
  // The window's capture phase comes before every other listener, React's on the document included.
  window.addEventListener(
    'submit',
    (event) => {
      const form = event.target
      if (!(form instanceof HTMLFormElement)) return
      for (const element of Array.from(form.elements)) {
        if (!isTypedField(element)) continue
        const character = controlCharacterIn(element.value)
        if (character === null) continue
        // Neither Remix's handler nor the browser sends it.
        event.preventDefault()
        event.stopPropagation()
        element.setCustomValidity(message(fieldLabel(element), character))
        element.addEventListener('input', () => element.setCustomValidity(''), { once: true })
        element.reportValidity()
        return
      }
    },
    true,
  )
}

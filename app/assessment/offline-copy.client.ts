/**
 * The browser's side of the offline form (public/sw.js): register the
 * service worker and ask it to keep the form page and every asset this visit
 * loaded, so the next visit opens without a network. The first visit is not
 * yet controlled by the worker, so it cannot have seen those requests; later
 * visits are stored as they pass. Resolves true once everything is kept.
 */
export async function keepFormOffline(): Promise<boolean> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return false
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' })
    const registration = await navigator.serviceWorker.ready
    const worker = registration.active
    if (!worker) return false
    const urls = new Set<string>([window.location.pathname])
    for (const entry of performance.getEntriesByType('resource')) {
      const url = new URL(entry.name)
      if (url.origin === window.location.origin && url.pathname.startsWith('/assets/'))
        urls.add(url.pathname)
    }
    for (const el of document.querySelectorAll<HTMLLinkElement | HTMLScriptElement>(
      'link[href^="/assets/"], script[src^="/assets/"]',
    )) {
      urls.add(
        el instanceof HTMLLinkElement
          ? (el.getAttribute('href') ?? '')
          : (el.getAttribute('src') ?? ''),
      )
    }
    const answer = await ask(worker, { type: 'keep', urls: [...urls].filter(Boolean) })
    return answer.type === 'kept'
  } catch {
    // No worker (private mode, a browser policy): the form works online as before.
    return false
  }
}

/** One question to the worker, answered on its own port. */
function ask(
  worker: ServiceWorker,
  message: object,
): Promise<{ type?: string; offlineCopy?: unknown }> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = (event: MessageEvent) => {
      const data = event.data as { type?: string; offlineCopy?: unknown } | null
      resolve(data ?? {})
    }
    worker.postMessage(message, [channel.port2])
  })
}

/**
 * Whether this page was opened from the copy kept on the device (no network
 * at the time): the worker's time of keeping it, or null.
 */
export async function servedFromOfflineCopy(): Promise<string | null> {
  const worker = 'serviceWorker' in navigator ? navigator.serviceWorker.controller : null
  if (!worker) return null
  const answer = await ask(worker, { type: 'status' })
  return typeof answer.offlineCopy === 'string' ? answer.offlineCopy : null
}

/** The stored form page belongs to whoever was signed in: a sign-in page deletes it. */
export function forgetOfflineCopy(): void {
  if (!('serviceWorker' in navigator)) return
  navigator.serviceWorker.controller?.postMessage({ type: 'forget' })
}

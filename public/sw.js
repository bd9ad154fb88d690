/**
 * Sẵn Sàng's service worker: a director who opened the self-assessment form
 * once can open it again without a network and keep answering (the answers
 * wait in the form's own queue, in localStorage, and are sent when the
 * network is back).
 *
 * - Hashed assets (/assets/*) never change under a name: cache first, kept;
 *   each online visit of the form keeps exactly the files it loaded.
 * - The form page (/assessment) is network first: every visit online stores
 *   the fresh copy; offline, the last copy is served, marked with the
 *   `x-sansang-offline-copy` header (its time of storing).
 * - The page asks to keep what it loaded ({ type: 'keep', urls }) on its
 *   first visit, before this worker controlled it, and asks whether it was
 *   itself served from the kept copy ({ type: 'status' }); both are answered
 *   on the message's port.
 * - Sign-out and sign-in pages post { type: 'forget' }: the stored form page
 *   belongs to one user, so it is deleted (a shared tablet shows no one
 *   else's answers).
 * Nothing else (other pages, JSON endpoints, POSTs) is touched.
 */
const ASSETS = 'sansang-assets-v1'
const PAGES = 'sansang-pages-v1'
const OFFLINE_PAGES = new Set(['/assessment'])
/** Pages (client ids) this worker answered with the kept copy, and that copy's time. */
const servedCopies = new Map()

self.addEventListener('install', () => {
  void self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([ASSETS, PAGES])
      for (const name of await caches.keys()) {
        if (name.startsWith('sansang-') && !keep.has(name)) await caches.delete(name)
      }
      await self.clients.claim()
    })(),
  )
})

function isAsset(url) {
  return url.origin === self.location.origin && url.pathname.startsWith('/assets/')
}

function isOfflinePage(url) {
  return url.origin === self.location.origin && OFFLINE_PAGES.has(url.pathname) && !url.search
}

async function storePage(request, response) {
  if (!response.ok || response.redirected || response.type !== 'basic') return
  const headers = new Headers(response.headers)
  headers.set('x-sansang-offline-copy', new Date().toISOString())
  const body = await response.clone().arrayBuffer()
  const cache = await caches.open(PAGES)
  await cache.put(
    new URL(request.url).pathname,
    new Response(body, { status: response.status, statusText: response.statusText, headers }),
  )
}

async function fromNetworkThenCache(event) {
  try {
    const response = await fetch(event.request)
    event.waitUntil(storePage(event.request, response))
    return response
  } catch (error) {
    const cached = await caches.match(new URL(event.request.url).pathname, { cacheName: PAGES })
    if (cached) {
      if (event.resultingClientId)
        servedCopies.set(event.resultingClientId, cached.headers.get('x-sansang-offline-copy'))
      return cached
    }
    throw error
  }
}

async function fromCacheThenNetwork(request) {
  const cache = await caches.open(ASSETS)
  const cached = await cache.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) await cache.put(request, response.clone())
  return response
}

self.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (isAsset(url)) event.respondWith(fromCacheThenNetwork(request))
  else if (request.mode === 'navigate' && isOfflinePage(url))
    event.respondWith(fromNetworkThenCache(event))
})

async function keep(urls) {
  const assets = await caches.open(ASSETS)
  // What the form needs now: older releases' files go, so the cache stays the size of one.
  const wanted = new Set(urls.map((raw) => new URL(raw, self.location.origin).href))
  for (const request of await assets.keys()) {
    if (!wanted.has(request.url)) await assets.delete(request)
  }
  for (const raw of urls) {
    const url = new URL(raw, self.location.origin)
    if (isAsset(url)) {
      if (!(await assets.match(url.href))) {
        const response = await fetch(url.href)
        if (response.ok) await assets.put(url.href, response)
      }
    } else if (isOfflinePage(url)) {
      const request = new Request(url.href, { credentials: 'same-origin' })
      await storePage(request, await fetch(request))
    }
  }
}

self.addEventListener('message', (event) => {
  const data = event.data
  const port = event.ports[0]
  if (!data || typeof data !== 'object') return
  if (data.type === 'keep' && Array.isArray(data.urls)) {
    event.waitUntil(
      keep(data.urls.filter((u) => typeof u === 'string'))
        .then(() => port?.postMessage({ type: 'kept' }))
        .catch(() => port?.postMessage({ type: 'keep-failed' })),
    )
  } else if (data.type === 'status') {
    const id = event.source && 'id' in event.source ? event.source.id : null
    port?.postMessage({ type: 'status', offlineCopy: (id && servedCopies.get(id)) || null })
  } else if (data.type === 'forget') {
    event.waitUntil(caches.delete(PAGES))
  }
})

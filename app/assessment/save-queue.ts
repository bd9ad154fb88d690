/**
 * The browser's side of autosave. Changed answers wait in a queue that is
 * written to localStorage on every change, so a reload or a dropped network
 * loses nothing; the queue is sent (debounced) with the version the browser
 * last saw. A stale version comes back as a conflict, never as a silent
 * overwrite. Pure logic with injected storage, fetch and timers, so it is
 * unit-tested without a browser.
 *
 * Every failed answer is read with the error contract (`ApiErrorSchema`),
 * so the server's own message shows (413, 503 …). A 401 means the session
 * ended: the changes stay queued (and in storage) and are sent once the
 * user is signed in again, on the next flush or after the reload that
 * brings them back.
 */
import { ApiErrorSchema } from '../utils/api-contract.ts'

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'waiting'; pending: number }
  | { kind: 'saving'; pending: number }
  | { kind: 'saved'; at: string }
  | { kind: 'offline'; pending: number }
  | { kind: 'conflict'; conflict: ConflictPayload }
  | { kind: 'invalid'; errors: Array<{ question: string; message: { vi: string; en: string } }> }
  | { kind: 'locked'; status: string }
  | { kind: 'signed_out'; pending: number }
  /** The round is not open for writes (it closed while the form was open). */
  | { kind: 'closed'; pending: number; message: { vi: string; en: string } }
  /** `message` is the server's, in the reader's language, when it answered in the contract. */
  | { kind: 'error'; pending: number; status: number; message: string | null }

export interface ConflictPayload {
  version: number
  answers: Record<string, unknown>
  currentPage: number
  changes: Array<{ question: string; value: unknown; by: string; at: string }>
}

/** A colleague's change the server merged under this browser's save. */
export interface MergedChange {
  question: string
  value: unknown
  by: string
}

function mergedChangesOf(value: unknown): MergedChange[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((c: unknown) => {
    if (c === null || typeof c !== 'object') return []
    const { question, value: v, by } = c as Record<string, unknown>
    return typeof question === 'string' && typeof by === 'string'
      ? [{ question, value: v ?? null, by }]
      : []
  })
}

export interface StoredQueue {
  baseVersion: number
  currentPage: number
  changes: Record<string, unknown>
}

export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface SaveQueueOptions {
  storageKey: string
  roundId: number
  baseVersion: number
  currentPage: number
  storage: KeyValueStorage
  fetch: typeof fetch
  onState: (state: SaveState) => void
  /**
   * The server merged a save on top of colleagues' changes this browser had
   * not seen (different questions): theirs, for the form to show.
   */
  onMerged?: (changes: MergedChange[]) => void
  debounceMs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

function readStored(storage: KeyValueStorage, key: string): StoredQueue | null {
  try {
    const raw = storage.getItem(key)
    if (!raw) return null
    const parsed = JSON.parse(raw) as Partial<StoredQueue>
    if (
      typeof parsed.baseVersion !== 'number' ||
      typeof parsed.changes !== 'object' ||
      !parsed.changes
    ) {
      return null
    }
    return {
      baseVersion: parsed.baseVersion,
      currentPage: parsed.currentPage ?? 0,
      changes: parsed.changes,
    }
  } catch {
    return null
  }
}

function isMessage(value: unknown): value is { vi: string; en: string } {
  if (value === null || typeof value !== 'object') return false
  const { vi, en } = value as Record<string, unknown>
  return typeof vi === 'string' && typeof en === 'string'
}

export class SaveQueue {
  private changes: Record<string, unknown> = {}
  private baseVersion: number
  private currentPage: number
  private pageDirty = false
  private timer: unknown = null
  /** The request on the wire, if any: one at a time, so versions follow each other. */
  private flight: Promise<SaveState> | null = null
  private state: SaveState = { kind: 'idle' }
  private readonly o: Required<SaveQueueOptions>

  constructor(options: SaveQueueOptions) {
    this.o = {
      onMerged: () => {},
      debounceMs: 1500,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    }
    this.baseVersion = options.baseVersion
    this.currentPage = options.currentPage
  }

  /**
   * Changes left in storage by an earlier visit (offline, or a reload before
   * they were sent). Returns them so the form can show them; they are sent
   * with the version they were based on, so a newer server state conflicts.
   */
  restore(): StoredQueue | null {
    const stored = readStored(this.o.storage, this.o.storageKey)
    if (!stored || Object.keys(stored.changes).length === 0) return null
    this.changes = { ...stored.changes }
    this.baseVersion = stored.baseVersion
    this.currentPage = stored.currentPage
    return stored
  }

  get pending(): number {
    return Object.keys(this.changes).length
  }

  get version(): number {
    return this.baseVersion
  }

  getState(): SaveState {
    return this.state
  }

  private setState(state: SaveState): void {
    this.state = state
    this.o.onState(state)
  }

  private persist(): void {
    if (this.pending === 0) {
      this.o.storage.removeItem(this.o.storageKey)
      return
    }
    const stored: StoredQueue = {
      baseVersion: this.baseVersion,
      currentPage: this.currentPage,
      changes: this.changes,
    }
    this.o.storage.setItem(this.o.storageKey, JSON.stringify(stored))
  }

  /** An answer changed (undefined or empty clears it). */
  change(question: string, value: unknown): void {
    const cleared =
      value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
    this.changes[question] = cleared ? null : value
    this.persist()
    this.showWaiting()
    this.schedule()
  }

  /**
   * "Saved" must never show while an answer still waits for the debounce:
   * the person would leave believing it is on the server.
   */
  private showWaiting(): void {
    const kind = this.state.kind
    if (kind === 'idle' || kind === 'saved' || kind === 'waiting') {
      this.setState({ kind: 'waiting', pending: this.pending })
    } else if (
      kind === 'offline' ||
      kind === 'error' ||
      kind === 'signed_out' ||
      kind === 'closed'
    ) {
      this.setState({ ...this.state, pending: this.pending })
    }
  }

  page(currentPage: number): void {
    if (currentPage === this.currentPage) return
    this.currentPage = currentPage
    this.pageDirty = true
    this.persist()
    this.schedule()
  }

  /** States that no retry can get past: the queue keeps its changes and sends nothing. */
  private get stopped(): boolean {
    const kind = this.state.kind
    return kind === 'conflict' || kind === 'locked' || kind === 'closed'
  }

  private schedule(): void {
    if (this.stopped) return
    if (this.timer !== null) this.o.clearTimer(this.timer)
    this.timer = this.o.setTimer(() => {
      this.timer = null
      void this.flush()
    }, this.o.debounceMs)
  }

  /**
   * Sends what is queued now. Resolves when the server has answered everything
   * queued before the call (or the network failed): a flush asked for while a
   * save is on the wire waits for it, then sends what is left — so submit never
   * races an autosave.
   */
  async flush(): Promise<SaveState> {
    while (this.flight) await this.flight
    if (this.stopped) return this.state
    if (this.pending === 0 && !this.pageDirty) return this.state
    if (this.timer !== null) {
      this.o.clearTimer(this.timer)
      this.timer = null
    }
    this.flight = this.send()
    try {
      return await this.flight
    } finally {
      this.flight = null
    }
  }

  private async send(): Promise<SaveState> {
    const sent = { ...this.changes }
    this.pageDirty = false
    this.setState({ kind: 'saving', pending: this.pending })
    let response: Response
    try {
      response = await this.o.fetch('/assessment/save', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          roundId: this.o.roundId,
          baseVersion: this.baseVersion,
          changes: sent,
          currentPage: this.currentPage,
        }),
      })
    } catch {
      this.pageDirty = true
      this.setState({ kind: 'offline', pending: this.pending })
      return this.state
    }
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null
    const failure = response.ok ? null : ApiErrorSchema.safeParse(body)
    if (isSignedOut(response)) {
      this.pageDirty = true
      this.setState({ kind: 'signed_out', pending: this.pending })
    } else if (response.ok && body && typeof body.version === 'number') {
      this.baseVersion = body.version
      const merged = mergedChangesOf(body.merged)
      // Colleagues' answers to other questions, now under this version: shown, never queued.
      if (merged.length > 0) this.o.onMerged(merged.filter((c) => !(c.question in this.changes)))
      // Drop what the server now has, unless it changed again meanwhile.
      for (const [q, v] of Object.entries(sent)) {
        if (JSON.stringify(this.changes[q]) === JSON.stringify(v)) delete this.changes[q]
      }
      this.persist()
      // Answers changed while this one was on the wire are still waiting (their timer runs).
      this.setState(
        this.pending > 0
          ? { kind: 'waiting', pending: this.pending }
          : {
              kind: 'saved',
              at: typeof body.savedAt === 'string' ? body.savedAt : new Date().toISOString(),
            },
      )
    } else if (response.status === 409 && body?.kind === 'conflict') {
      this.setState({ kind: 'conflict', conflict: body as unknown as ConflictPayload })
    } else if (response.status === 409 && body?.kind === 'locked') {
      this.setState({ kind: 'locked', status: String(body.status) })
    } else if (
      response.status === 409 &&
      body?.kind === 'round_not_open' &&
      isMessage(body.message)
    ) {
      this.setState({ kind: 'closed', pending: this.pending, message: body.message })
    } else if (response.status === 422 && body?.kind === 'invalid') {
      this.setState({
        kind: 'invalid',
        errors: body.errors as Extract<SaveState, { kind: 'invalid' }>['errors'],
      })
    } else {
      this.pageDirty = true
      this.setState({
        kind: 'error',
        pending: this.pending,
        status: response.status,
        message: failure?.success ? failure.data.error.message : null,
      })
    }
    return this.state
  }

  /**
   * The user resolved a conflict: `resolved` holds, per question, the value
   * they keep. The queue now builds on the server's version.
   */
  resolveConflict(serverVersion: number, resolved: Record<string, unknown>): void {
    this.baseVersion = serverVersion
    this.changes = { ...resolved }
    this.persist()
    this.setState(this.pending > 0 ? { kind: 'waiting', pending: this.pending } : { kind: 'idle' })
    this.schedule()
  }

  /** After an invalid answer is corrected, saving resumes. */
  clearInvalid(): void {
    if (this.state.kind !== 'invalid') return
    this.setState(this.pending > 0 ? { kind: 'waiting', pending: this.pending } : { kind: 'idle' })
  }

  /** Everything queued; used before submit. */
  snapshot(): Record<string, unknown> {
    return { ...this.changes }
  }
}

/**
 * Did this answer come because the session ended? The contract's 401, or —
 * from a server or proxy that still redirects — the sign-in page `fetch`
 * followed the redirect to.
 */
export function isSignedOut(response: Response): boolean {
  if (response.status === 401) return true
  if (!response.redirected || !response.url) return false
  return new URL(response.url).pathname === '/login'
}

/** Where "sign in again" leads: the sign-in page, coming back to `here` (path and query). */
export function signInAgainHref(here: string): string {
  return `/login?redirectTo=${encodeURIComponent(here)}`
}

/**
 * Splits a conflict: questions both sides changed need the user's choice;
 * the server's other changes are taken; the user's other changes are kept.
 */
export function splitConflict(
  mine: Record<string, unknown>,
  conflict: ConflictPayload,
): {
  overlapping: Array<{ question: string; mine: unknown; theirs: unknown; by: string }>
  theirsOnly: string[]
} {
  const theirs = new Map<string, { value: unknown; by: string }>()
  for (const c of conflict.changes) theirs.set(c.question, { value: c.value, by: c.by })
  const overlapping: Array<{ question: string; mine: unknown; theirs: unknown; by: string }> = []
  for (const [question, value] of Object.entries(mine)) {
    const other = theirs.get(question)
    if (other && JSON.stringify(other.value) !== JSON.stringify(value)) {
      overlapping.push({
        question,
        mine: value,
        theirs: conflict.answers[question] ?? null,
        by: other.by,
      })
    }
  }
  const theirsOnly = [...theirs.keys()].filter((q) => !(q in mine))
  return { overlapping, theirsOnly }
}

import { describe, expect, it } from 'vitest'
import {
  isSignedOut,
  SaveQueue,
  signInAgainHref,
  splitConflict,
  type KeyValueStorage,
  type MergedChange,
  type SaveState,
} from '../../../app/assessment/save-queue.ts'

class MemoryStorage implements KeyValueStorage {
  data = new Map<string, string>()
  getItem(key: string) {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.data.set(key, value)
  }
  removeItem(key: string) {
    this.data.delete(key)
  }
}

interface Call {
  body: { baseVersion: number; changes: Record<string, unknown>; currentPage: number }
}

type Reply = Response | 'offline'

function setup(responder: (call: Call) => Reply | Promise<Reply>, storage = new MemoryStorage()) {
  const calls: Call[] = []
  const states: SaveState[] = []
  const merged: MergedChange[][] = []
  const queue = new SaveQueue({
    storageKey: 'k',
    roundId: 1,
    baseVersion: 3,
    currentPage: 0,
    storage,
    fetch: async (_input, init) => {
      const call = { body: JSON.parse(String(init?.body)) as Call['body'] }
      calls.push(call)
      const r = await responder(call)
      if (r === 'offline') throw new TypeError('Failed to fetch')
      return r
    },
    onState: (s) => states.push(s),
    onMerged: (changes) => merged.push(changes),
    setTimer: () => 0,
    clearTimer: () => undefined,
  })
  return { queue, calls, states, storage, merged }
}

const ok = (version: number) =>
  Response.json({ kind: 'saved', version, savedAt: '2026-11-25T00:00:00.000Z' })

describe('SaveQueue', () => {
  it('sends changed answers with the base version and moves to the new version', async () => {
    const { queue, calls, storage } = setup(() => ok(4))
    queue.change('a', 'yes')
    queue.change('b', 3)
    expect(JSON.parse(storage.getItem('k') ?? '{}').changes).toEqual({ a: 'yes', b: 3 })
    const state = await queue.flush()
    expect(state.kind).toBe('saved')
    expect(calls[0]?.body).toMatchObject({ baseVersion: 3, changes: { a: 'yes', b: 3 } })
    expect(queue.version).toBe(4)
    expect(queue.pending).toBe(0)
    expect(storage.getItem('k')).toBeNull()
  })

  it('keeps changes on the device when offline and sends them when back', async () => {
    let online = false
    const { queue, calls, storage } = setup(() => (online ? ok(4) : 'offline'))
    queue.change('a', 'no')
    expect((await queue.flush()).kind).toBe('offline')
    expect(queue.pending).toBe(1)
    // A reload while offline: a new queue on the same storage gets them back.
    const again = setup(() => ok(4), storage)
    expect(again.queue.restore()?.changes).toEqual({ a: 'no' })
    online = true
    expect((await queue.flush()).kind).toBe('saved')
    expect(calls.length).toBe(2)
  })

  it("hands the colleagues' merged changes to the form, and only those this browser did not change again", async () => {
    let release: () => void = () => {}
    const { queue, merged, calls } = setup(
      () =>
        new Promise<Reply>((resolve) => {
          release = () =>
            resolve(
              Response.json({
                kind: 'saved',
                version: 6,
                savedAt: '2026-11-25T00:00:00.000Z',
                merged: [
                  { question: 'x', value: 'level_2', by: 'KS. Mai', at: '2026-11-25T00:00:00Z' },
                  { question: 'y', value: 'no', by: 'KS. Mai', at: '2026-11-25T00:00:00Z' },
                  { question: 7, by: 'not a change' },
                ],
              }),
            )
        }),
    )
    queue.change('a', 'yes')
    const sent = queue.flush()
    await expect.poll(() => calls.length).toBe(1)
    // Typed while the save was on the wire: this browser's answer to y stays.
    queue.change('y', 'yes')
    release()
    await sent
    expect(merged).toEqual([[{ question: 'x', value: 'level_2', by: 'KS. Mai' }]])
    expect(queue.version).toBe(6)
  })

  it("reports a conflict on 409 and never drops the user's changes", async () => {
    const conflict = {
      kind: 'conflict',
      version: 7,
      answers: { a: 'yes', c: 1 },
      currentPage: 2,
      changes: [
        { question: 'a', value: 'yes', by: 'Chị Mai', at: 'x' },
        { question: 'c', value: 1, by: 'Chị Mai', at: 'x' },
      ],
    }
    const { queue } = setup(() => Response.json(conflict, { status: 409 }))
    queue.change('a', 'no')
    queue.change('b', 2)
    const state = await queue.flush()
    expect(state.kind).toBe('conflict')
    expect(queue.snapshot()).toEqual({ a: 'no', b: 2 })
    const split = splitConflict(queue.snapshot(), conflict)
    expect(split.overlapping).toEqual([{ question: 'a', mine: 'no', theirs: 'yes', by: 'Chị Mai' }])
    expect(split.theirsOnly).toEqual(['c'])
    // While in conflict nothing is sent.
    queue.change('b', 5)
    expect((await queue.flush()).kind).toBe('conflict')
  })

  it('resumes on the server version after the user resolves the conflict', async () => {
    let version = 7
    const { queue, calls } = setup((call) =>
      call.body.baseVersion === 3
        ? Response.json(
            { kind: 'conflict', version: 7, answers: {}, currentPage: 0, changes: [] },
            { status: 409 },
          )
        : ok(++version),
    )
    queue.change('a', 'no')
    await queue.flush()
    queue.resolveConflict(7, { a: 'no' })
    expect((await queue.flush()).kind).toBe('saved')
    expect(calls[1]?.body).toMatchObject({ baseVersion: 7, changes: { a: 'no' } })
  })

  it('turns a cleared answer into null so the server removes it', async () => {
    const { queue, calls } = setup(() => ok(4))
    queue.change('a', '')
    queue.change('b', [])
    queue.change('c', undefined)
    await queue.flush()
    expect(calls[0]?.body.changes).toEqual({ a: null, b: null, c: null })
  })

  it('shows invalid answers and the locked state', async () => {
    const invalid = setup(() =>
      Response.json(
        { kind: 'invalid', errors: [{ question: 'a', message: { vi: 'x', en: 'x' } }] },
        { status: 422 },
      ),
    )
    invalid.queue.change('a', 'zzz')
    expect((await invalid.queue.flush()).kind).toBe('invalid')
    const locked = setup(() =>
      Response.json({ kind: 'locked', status: 'submitted' }, { status: 409 }),
    )
    locked.queue.change('a', 'yes')
    expect(await locked.queue.flush()).toEqual({ kind: 'locked', status: 'submitted' })
  })

  it('stops at a round that is not open, keeps the changes on the device and says why', async () => {
    const message = {
      vi: 'Đợt này đã đóng ngày 15/12/2026.',
      en: 'This round closed on 15/12/2026.',
    }
    const { queue, calls, storage } = setup(() =>
      Response.json({ kind: 'round_not_open', window: 'closed', message }, { status: 409 }),
    )
    queue.change('a', 'yes')
    expect(await queue.flush()).toEqual({ kind: 'closed', pending: 1, message })
    queue.change('b', 2)
    expect(await queue.flush()).toEqual({ kind: 'closed', pending: 2, message })
    // Nothing more is sent, nothing is dropped.
    expect(calls).toHaveLength(1)
    expect(JSON.parse(storage.getItem('k') ?? '{}').changes).toEqual({ a: 'yes', b: 2 })
  })

  it('never shows "saved" while an answer waits for the debounce', async () => {
    const { queue, states } = setup(() => ok(4))
    queue.change('a', 'yes')
    await queue.flush()
    expect(queue.getState().kind).toBe('saved')
    queue.change('b', 2)
    queue.change('c', 1)
    expect(queue.getState()).toEqual({ kind: 'waiting', pending: 2 })
    expect(states.map((s) => s.kind)).toEqual(['waiting', 'saving', 'saved', 'waiting', 'waiting'])
  })

  it('makes a flush asked for during a save wait for it, then send what is left', async () => {
    let release: (() => void) | undefined
    let version = 3
    const { queue, calls } = setup(async () => {
      if (calls.length === 1) await new Promise<void>((r) => (release = r))
      return ok(++version)
    })
    queue.change('a', 'yes')
    const autosave = queue.flush()
    await Promise.resolve()
    // Typed while the first save is on the wire; then the person presses submit.
    queue.change('b', 2)
    const beforeSubmit = queue.flush()
    let done = false
    void beforeSubmit.then(() => (done = true))
    await new Promise((r) => setTimeout(r, 5))
    expect(done).toBe(false)
    expect(calls).toHaveLength(1)
    release?.()
    expect((await autosave).kind).toBe('waiting')
    expect((await beforeSubmit).kind).toBe('saved')
    expect(calls.map((c) => c.body.baseVersion)).toEqual([3, 4])
    expect(calls[1]?.body.changes).toEqual({ b: 2 })
    expect(queue.version).toBe(5)
    expect(queue.pending).toBe(0)
  })

  it('keeps the changes when the session ended, and sends them once signed in again', async () => {
    let signedIn = false
    const unauthenticated = () =>
      Response.json(
        { error: { code: 'unauthenticated', message: 'Phiên đăng nhập đã hết.' } },
        { status: 401 },
      )
    const { queue, calls, storage } = setup(() => (signedIn ? ok(4) : unauthenticated()))
    queue.change('a', 'yes')
    queue.page(2)
    expect(await queue.flush()).toEqual({ kind: 'signed_out', pending: 1 })
    // Still on the device, for the reload after signing in.
    expect(JSON.parse(storage.getItem('k') ?? '{}')).toMatchObject({
      baseVersion: 3,
      currentPage: 2,
      changes: { a: 'yes' },
    })
    queue.change('b', 1)
    expect(queue.getState()).toEqual({ kind: 'signed_out', pending: 2 })
    signedIn = true
    expect((await queue.flush()).kind).toBe('saved')
    expect(calls.at(-1)?.body).toMatchObject({
      baseVersion: 3,
      changes: { a: 'yes', b: 1 },
      currentPage: 2,
    })
    expect(storage.getItem('k')).toBeNull()
  })

  it('shows the server’s own message for a failure in the error contract (413, 503 …)', async () => {
    const full = setup(() =>
      Response.json(
        { error: { code: 'storage_unavailable', message: 'Máy chủ chưa lưu được.' } },
        { status: 503 },
      ),
    )
    full.queue.change('a', 'yes')
    expect(await full.queue.flush()).toEqual({
      kind: 'error',
      pending: 1,
      status: 503,
      message: 'Máy chủ chưa lưu được.',
    })
    expect(full.queue.snapshot()).toEqual({ a: 'yes' })
    const plain = setup(() => new Response('Unexpected Server Error', { status: 500 }))
    plain.queue.change('a', 'yes')
    expect(await plain.queue.flush()).toEqual({
      kind: 'error',
      pending: 1,
      status: 500,
      message: null,
    })
  })

  it('takes the sign-in page a redirect led to as a session that ended', () => {
    const followed = (url: string) => {
      const response = new Response('<!doctype html>', { status: 200 })
      Object.defineProperty(response, 'redirected', { value: true })
      Object.defineProperty(response, 'url', { value: url })
      return response
    }
    expect(isSignedOut(followed('https://sansang.example/login?redirectTo=%2F'))).toBe(true)
    expect(isSignedOut(followed('https://sansang.example/assessment'))).toBe(false)
    expect(isSignedOut(new Response(null, { status: 401 }))).toBe(true)
    expect(isSignedOut(new Response(null, { status: 403 }))).toBe(false)
  })

  it('links "sign in again" back to the same page', () => {
    expect(signInAgainHref('/assessment?page=2')).toBe('/login?redirectTo=%2Fassessment%3Fpage%3D2')
  })
})

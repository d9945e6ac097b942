// Payload read-ahead: plakar opens files one at a time by default, so each Open would wait
// out an API round trip; once plakar reads payloads, the next listed ones are fetched in the
// background, bounded in number and bytes. An incremental backup must not pay for payloads
// plakar skips (acknowledged unopened): it starts after payload Opens in a row, a skip stops it.
import { MAX_PAYLOAD_BYTES } from '../core/secret-manager.js'
import { invalidArgument } from '../plugin/grpc-errors.js'

/** Fixes the window (0: off), for tests and diagnosis; users tune rate_limit and concurrency. */
export const READ_AHEAD_ENV = 'SCW_SM_READ_AHEAD'

/**
 * Sized by the client's request rate, not by plakar's Opens, within its concurrency: a read
 * takes ~50 ms at the API's median, so a quarter second of the rate lets the pacer set the pace.
 */
export function readAheadWindow(rateLimit: number, concurrency: number, fixed?: string): number {
  if (!fixed) {
    const byRate = rateLimit === 0 ? concurrency : Math.ceil(rateLimit / 4)
    return Math.max(1, Math.min(concurrency, byRate))
  }
  const n = Number(fixed)
  if (Number.isInteger(n) && n >= 0 && n <= 1024) return n
  throw invalidArgument(`${READ_AHEAD_ENV} must be an integer from 0 (off) to 1024, got "${fixed}"`)
}

// The window starts at 4 after 2 payload Opens in a row (no skip between), and doubles with
// each Open after that; failed prefetches double the Opens needed, up to 64.
const INITIAL_WINDOW = 4
const OPEN_STREAK = 2
const MAX_OPEN_STREAK = 64

/** A payload record sent to plakar and not acknowledged yet, in listing order. */
class Entry<Ref> {
  opened = false
  /** Resolves to the bytes, or to undefined if the read failed; never rejects. */
  fetch: Promise<Buffer | undefined> | undefined
  next: Entry<Ref> | undefined

  constructor(
    readonly ref: Ref,
    readonly seq: number,
    readonly prefetchable: boolean,
    public prev: Entry<Ref> | undefined,
  ) {}
}

export class ReadAhead<Ref> {
  /** unused: read, never opened; heldBytes: held, plus the largest payload per read in flight. */
  readonly stats = { started: 0, served: 0, unused: 0, failed: 0, heldBytes: 0, peakBytes: 0 }
  private readonly entries = new Map<string, Entry<Ref>>()
  // A linked list, so that acknowledged entries leave in O(1); walks start at the cursor.
  private tail: Entry<Ref> | undefined
  /** Next candidate for a prefetch; undefined once every listed entry has been passed. */
  private cursor: Entry<Ref> | undefined
  private seq = 0
  /** 0 while read-ahead is off. */
  private window = 0
  private streak = 0
  private needed = OPEN_STREAK
  /** Fetches in flight plus fetched ones still held. */
  private slots = 0
  private closed = false
  private readonly inFlight = new Set<Promise<unknown>>()

  /** `maxWindow` payloads in flight or held at most (0: off), within `budgetBytes`. */
  constructor(
    private readonly read: (ref: Ref) => Promise<Buffer>,
    private readonly maxWindow: number,
    private readonly budgetBytes = 4 * 1024 * 1024,
  ) {}

  /** Call in listing order, before the record goes out. */
  listed(pathname: string, ref: Ref, prefetchable: boolean): void {
    if (this.closed) return
    // Paths are unique within a backup; should one repeat, the newer record wins.
    this.remove(pathname)
    const entry = new Entry(ref, ++this.seq, prefetchable, this.tail)
    if (this.tail) this.tail.next = entry
    this.tail = entry
    this.entries.set(pathname, entry)
    this.cursor ??= entry
    this.pump()
  }

  /** Plakar opened it: its prefetched bytes, or undefined (none, or failed): read it yourself. */
  take(pathname: string): Promise<Buffer | undefined> {
    const entry = this.entries.get(pathname)
    if (!entry) return Promise.resolve(undefined)
    const fetch = entry.fetch
    entry.fetch = undefined
    if (!entry.opened) this.onPayloadOpen(entry)
    const bytes = fetch ? this.release(fetch, true) : Promise.resolve(undefined)
    this.pump()
    return bytes
  }

  /** True for a payload never opened: a skip, which stops read-ahead. */
  acknowledged(pathname: string): boolean {
    const entry = this.remove(pathname)
    if (entry?.opened) this.pump()
    if (!entry || entry.opened) return false
    this.window = 0
    this.streak = 0
    return true
  }

  /** The backup is over: drop every held byte and wait for the reads still in flight. */
  async close(): Promise<void> {
    this.closed = true
    this.window = 0
    for (const pathname of [...this.entries.keys()]) this.remove(pathname)
    await Promise.allSettled([...this.inFlight])
  }

  private onPayloadOpen(entry: Entry<Ref>): void {
    entry.opened = true
    this.streak += 1
    if (this.window > 0) {
      this.window = Math.min(this.maxWindow, this.window * 2)
      return
    }
    if (this.streak < this.needed) return
    this.window = Math.min(this.maxWindow, INITIAL_WINDOW)
    // Start after the payload just opened: plakar skips, or already holds, those before it.
    if (!this.cursor || this.cursor.seq <= entry.seq) this.cursor = entry.next
  }

  /** Removes an entry from the list, dropping its prefetch; undefined if unknown. */
  private remove(pathname: string): Entry<Ref> | undefined {
    const entry = this.entries.get(pathname)
    if (!entry) return undefined
    this.entries.delete(pathname)
    if (this.cursor === entry) this.cursor = entry.next
    if (entry.prev) entry.prev.next = entry.next
    if (entry.next) entry.next.prev = entry.prev
    else this.tail = entry.prev
    if (entry.fetch) void this.release(entry.fetch, false)
    return entry
  }

  private pump(): void {
    while (
      this.cursor &&
      this.window > 0 &&
      this.slots < this.window &&
      this.stats.heldBytes + MAX_PAYLOAD_BYTES <= this.budgetBytes
    ) {
      const entry = this.cursor
      this.cursor = entry.next
      // Entries past the cursor have no fetch yet: fetches start only here.
      if (entry.prefetchable && !entry.opened) this.start(entry)
    }
  }

  private start(entry: Entry<Ref>): void {
    this.slots += 1
    this.reserve(MAX_PAYLOAD_BYTES)
    this.stats.started += 1
    // The async wrapper turns a synchronous throw of `read` into a rejection too.
    const fetch = (async () => this.read(entry.ref))().then(
      (bytes) => {
        this.reserve(bytes.length - MAX_PAYLOAD_BYTES)
        this.pump()
        return bytes
      },
      () => {
        this.reserve(-MAX_PAYLOAD_BYTES)
        this.stats.failed += 1
        // Failed after the client's retries: Opens read (and report) for themselves, and
        // more Opens in a row are needed to retry, so a key without access does not double calls.
        if (this.window > 0) this.needed = Math.min(MAX_OPEN_STREAK, this.needed * 2)
        this.window = 0
        this.streak = 0
        return undefined
      },
    )
    entry.fetch = fetch
    this.inFlight.add(fetch)
    void fetch.finally(() => this.inFlight.delete(fetch))
  }

  /** Hands a fetch to an Open (taken) or drops it; its slot and bytes are freed once settled. */
  private release(fetch: Promise<Buffer | undefined>, taken: boolean): Promise<Buffer | undefined> {
    return fetch.then((bytes) => {
      this.slots -= 1
      this.reserve(-(bytes?.length ?? 0))
      if (bytes && !taken) this.stats.unused += 1
      if (bytes && taken) {
        this.stats.served += 1
        // Prefetches work again: forget the caution earlier failures called for.
        this.needed = OPEN_STREAK
      }
      this.pump()
      return taken ? bytes : undefined
    })
  }

  private reserve(bytes: number): void {
    this.stats.heldBytes += bytes
    this.stats.peakBytes = Math.max(this.stats.peakBytes, this.stats.heldBytes)
  }
}

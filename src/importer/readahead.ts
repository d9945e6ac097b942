// Payload read-ahead. With its default flags plakar opens files one at a time, so each
// Open would wait out a full API round trip. Once plakar is reading payloads, the next
// listed ones are fetched in the background, bounded in number and bytes. An incremental
// backup must not pay for payloads plakar's change detection skips (acknowledged
// unopened): read-ahead starts only after payload Opens in a row, and such a skip stops it.
import { MAX_PAYLOAD_BYTES } from '../core/secret-manager.js'
import { invalidArgument } from '../plugin/grpc-errors.js'

/** Fixes the window (0: off), for tests and diagnosis; users tune rate_limit and concurrency. */
export const READ_AHEAD_ENV = 'SCW_SM_READ_AHEAD'

/**
 * Payloads to fetch ahead at most: sized by the client's request rate, not by plakar's
 * Opens, and within its concurrency. A read's round trip is ~50 ms at the API's median,
 * more under load: a quarter second of the rate in flight lets the pacer set the pace.
 */
export function readAheadWindow(rateLimit: number, concurrency: number, fixed?: string): number {
  if (fixed !== undefined && fixed !== '') {
    const n = Number(fixed)
    if (!Number.isInteger(n) || n < 0 || n > 1024) {
      throw invalidArgument(
        `${READ_AHEAD_ENV} must be an integer from 0 (off) to 1024, got "${fixed}"`,
      )
    }
    return n
  }
  const byRate = rateLimit === 0 ? concurrency : Math.ceil(rateLimit / 4)
  return Math.max(1, Math.min(concurrency, byRate))
}

/** Window when read-ahead (re)starts; it doubles with each payload Open after that. */
const INITIAL_WINDOW = 4
/** Payload Opens in a row (none acknowledged unopened between them) before it starts. */
const OPEN_STREAK = 2
/** What the streak needed may grow to after failed prefetches. */
const MAX_OPEN_STREAK = 64

/** A payload record plakar has been sent and has not acknowledged yet, in listing order. */
interface Entry<Ref> {
  readonly ref: Ref
  readonly seq: number
  /** False when a read has side effects (a disabled version is enabled for it): Open only. */
  readonly prefetchable: boolean
  opened: boolean
  /** Its read ahead: the bytes, or undefined if the read failed; never rejects. */
  fetch: Promise<Buffer | undefined> | undefined
  prev: Entry<Ref> | undefined
  next: Entry<Ref> | undefined
}

/** Reads ahead the payloads that `Ref`s stand for. */
export class ReadAhead<Ref> {
  /**
   * started: reads begun; served: Opens answered with their bytes; unused: bytes read
   * but acknowledged unopened or dropped at the end; failed: reads that failed (the
   * Open, if any, reads again for real); heldBytes: bytes held plus reserved by reads in
   * flight, peakBytes its highest.
   */
  readonly stats = { started: 0, served: 0, unused: 0, failed: 0, heldBytes: 0, peakBytes: 0 }
  private readonly entries = new Map<string, Entry<Ref>>()
  // A linked list so that acknowledged entries leave in O(1), however long the backup;
  // walks start at the cursor, so only the back end is kept.
  private tail: Entry<Ref> | undefined
  /** Next candidate for a prefetch; undefined once every listed entry has been passed. */
  private cursor: Entry<Ref> | undefined
  private seq = 0
  /** Payloads fetched ahead at most right now; 0 while read-ahead is off. */
  private window = 0
  private streak = 0
  private needed = OPEN_STREAK
  /** Fetches in flight plus fetched ones still held. */
  private slots = 0
  private closed = false
  private readonly inFlight = new Set<Promise<unknown>>()

  /**
   * @param maxWindow most payloads in flight plus fetched and not taken; 0 turns it off.
   * @param budgetBytes bytes held at most; a read in flight reserves the largest payload.
   */
  constructor(
    private readonly read: (ref: Ref) => Promise<Buffer>,
    private readonly maxWindow: number,
    private readonly budgetBytes = 4 * 1024 * 1024,
  ) {}

  /** A payload record is about to be sent to plakar; call in listing order. */
  listed(pathname: string, ref: Ref, prefetchable: boolean): void {
    if (this.closed) return
    // Paths are unique within a backup; should one repeat, the newer record wins.
    this.remove(pathname)
    this.seq += 1
    const entry: Entry<Ref> = {
      ref,
      seq: this.seq,
      prefetchable,
      opened: false,
      fetch: undefined,
      prev: this.tail,
      next: undefined,
    }
    if (this.tail) this.tail.next = entry
    this.tail = entry
    this.entries.set(pathname, entry)
    this.cursor ??= entry
    this.pump()
  }

  /**
   * Plakar opened this payload: its prefetched bytes, or undefined (none, or the prefetch
   * failed) and the caller reads it itself, reporting a failure as without read-ahead.
   */
  take(pathname: string): Promise<Buffer | undefined> {
    const entry = this.entries.get(pathname)
    if (!entry) return Promise.resolve(undefined)
    const fetch = entry.fetch
    entry.fetch = undefined
    if (!entry.opened) {
      entry.opened = true
      this.onPayloadOpen(entry)
    }
    const bytes = fetch ? this.release(fetch, true) : Promise.resolve(undefined)
    this.pump()
    return bytes
  }

  /** Plakar acknowledged this record; true for a payload never opened: a skip, which stops it. */
  acknowledged(pathname: string): boolean {
    const entry = this.remove(pathname)
    if (!entry) return false
    if (entry.opened) {
      this.pump()
      return false
    }
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
    this.streak += 1
    if (this.window > 0) {
      this.window = Math.min(this.maxWindow, this.window * 2)
      return
    }
    if (this.streak < this.needed) return
    this.window = Math.min(this.maxWindow, INITIAL_WINDOW)
    // Start after the payload just opened: those before it that plakar has not opened
    // yet are being skipped or are already in its hands.
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
      this.window > 0 &&
      this.slots < this.window &&
      this.stats.heldBytes + MAX_PAYLOAD_BYTES <= this.budgetBytes
    ) {
      const entry = this.nextCandidate()
      if (!entry) return
      this.start(entry)
    }
  }

  private nextCandidate(): Entry<Ref> | undefined {
    while (this.cursor) {
      const entry = this.cursor
      this.cursor = entry.next
      // Entries past the cursor have no fetch yet: fetches start only here.
      if (entry.prefetchable && !entry.opened) return entry
    }
    return undefined
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
        // Failed even after the client's retries: Opens read (and report) for themselves,
        // and a longer run of Opens is needed before trying again, so that a key without
        // access rights does not double every failing call.
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

// A clock for the pacing and retry tests: sleep() never waits for real, it parks the
// caller until run() moves virtual time to its wake-up. Assertions are then about
// virtual milliseconds, exact and independent of how loaded the test machine is.

interface Timer {
  at: number
  resolve: () => void
}

export class VirtualTime {
  #now = 0
  #timers: Timer[] = []

  readonly now = (): number => this.#now

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.#timers.push({ at: this.#now + Math.max(0, ms), resolve })
    })

  /**
   * Settles `work`: lets everything that can run do so (a macrotask turn, so that
   * promise chains of any depth drain), then wakes the earliest sleeper, and so on.
   */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false
    const done = work.then(
      () => {
        settled = true
      },
      () => {
        settled = true
      },
    )
    for (let turns = 0; !settled; turns += 1) {
      if (turns > 100_000) throw new Error('virtual time: the work never settled')
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (settled) break
      this.#timers.sort((a, b) => a.at - b.at)
      const next = this.#timers.shift()
      if (next === undefined) continue
      this.#now = Math.max(this.#now, next.at)
      next.resolve()
    }
    await done
    return work
  }
}

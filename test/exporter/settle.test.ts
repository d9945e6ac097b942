// The settle loop on its own, with a clock the test controls: when a secret is tried again,
// how often, against what, and when it is given up.
import { describe, expect, it } from 'vitest'
import type { BackedUpSecret } from '../../src/exporter/collect.js'
import type { Plan } from '../../src/exporter/planner.js'
import type { RestoreResult } from '../../src/exporter/restorer.js'
import { type Attempts, attempt, type SettleTiming, settle } from '../../src/exporter/settle.js'

const plan = (outcome: Plan['outcome']): Plan => ({
  outcome,
  steps: [],
  warnings: [],
  conflicts: [],
})

/** A clock that only moves when the code under test sleeps. */
function fakeClock(windowMs: number, budgetMs: number) {
  let now = 1_000_000
  const sleeps: number[] = []
  const timing: SettleTiming = {
    windowMs,
    budgetMs,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
  }
  return { timing, sleeps, now: () => now }
}

/** Plays the given results in order, recording whether each attempt looked up afresh. */
function scripted(results: Array<(now: number) => RestoreResult>, clock: () => number) {
  const fresh: boolean[] = []
  const attempts: Attempts = {
    restore: async (_secret, isFresh) => {
      fresh.push(isFresh)
      const next = results[fresh.length - 1]
      if (!next) throw new Error('no more scripted attempts')
      return next(clock())
    },
  }
  return { attempts, fresh }
}

const secret = {} as BackedUpSecret
const unsettled =
  (writes: number, outcome: Plan['outcome'] = 'create') =>
  () =>
    ({
      status: 'unsettled',
      plan: plan(outcome),
      writes,
      versionsWritten: writes,
      error: 'lost',
    }) as RestoreResult
const done = (writes: number) => () =>
  ({ status: 'done', plan: plan('update'), writes, versionsWritten: writes }) as RestoreResult

describe('settle', () => {
  it('waits out each window after the failure, re-plans afresh, and adds up the work', async () => {
    const clock = fakeClock(2000, 300_000)
    const run = scripted([unsettled(2), unsettled(1, 'update'), done(3)], clock.now)
    const first = await attempt(run.attempts, secret)
    const settled = await settle(run.attempts, secret, first, clock.timing)
    expect(run.fresh).toEqual([false, true, true])
    expect(clock.sleeps).toEqual([2000, 2000])
    expect(settled.result.status).toBe('done')
    expect(settled).toMatchObject({
      retries: 2,
      created: true,
      result: { writes: 6, versionsWritten: 6 },
    })
  })

  it('counts the window from the end of the failed attempt, however long it took', async () => {
    const clock = fakeClock(2000, 300_000)
    let advance = (_ms: number) => {}
    const slow = () => {
      advance(1500) // the attempt itself takes 1.5 s before failing
      return unsettled(0)()
    }
    const run = scripted([slow, done(1)], clock.now)
    advance = (ms) => clock.timing.sleep(ms)
    const first = await attempt(run.attempts, secret)
    await settle(run.attempts, secret, first, clock.timing)
    expect(clock.sleeps).toEqual([1500, 2000])
  })

  it('gives up once the next retry would fall after the budget, still unsettled', async () => {
    const clock = fakeClock(2000, 5000)
    const run = scripted([unsettled(0), unsettled(0), unsettled(0), unsettled(0)], clock.now)
    const first = await attempt(run.attempts, secret)
    const settled = await settle(run.attempts, secret, first, clock.timing)
    expect(run.fresh).toEqual([false, true, true])
    expect(settled.result.status).toBe('unsettled')
    expect(settled.retries).toBe(2)
  })

  it('does not retry a final failure, and turns a thrown transient error into a retry', async () => {
    const clock = fakeClock(2000, 300_000)
    const failed = () =>
      ({ status: 'failed', writes: 0, versionsWritten: 0, error: 'conflict' }) as RestoreResult
    const once = scripted([failed], clock.now)
    const settled = await settle(
      once.attempts,
      secret,
      await attempt(once.attempts, secret),
      clock.timing,
    )
    expect(once.fresh).toEqual([false])
    expect(settled.result.status).toBe('failed')

    const { ApiError } = await import('../../src/scaleway/errors.js')
    const thrown = scripted(
      [
        () => {
          throw new ApiError({ kind: 'server', status: 503 })
        },
        done(1),
      ],
      clock.now,
    )
    const first = await attempt(thrown.attempts, secret)
    expect(first.status).toBe('unsettled')
    expect((await settle(thrown.attempts, secret, first, clock.timing)).result.status).toBe('done')
  })
})

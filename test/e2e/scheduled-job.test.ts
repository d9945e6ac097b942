// The README's unattended job, scripts/scheduled-job.sh, run as cron or systemd would run
// it, against the emulator with the real plakar: twice (snapshots, prune, check, drill),
// then with a drill that fails, while another run holds the lock, and with a keep policy
// that has no count. Snapshot times are forced to yesterday (SCW_SM_BACKUP_FLAGS), so that
// which snapshots share a prune bucket never depends on when the test runs.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { SAMPLE_PROJECT_ID, sampleSeed } from '../../emulator/sample.js'
import { findPlakar, PlakarHome, plakarEnv, recordSkip } from '../../scripts/lib/plakar-home.js'
import { emulator, SECRET_KEY, writeCount } from '../support/world.js'
import { addReadmeEntries, DR_PROJECT } from './readme-entries.js'

const plakar = findPlakar()
if (!plakar) recordSkip('no plakar binary (PLAKAR_BIN unset and .cache/bin/plakar missing)')

const JOB = path.resolve(import.meta.dirname, '../../scripts/scheduled-job.sh')

interface JobRun {
  code: number
  output: string
}

/** Yesterday (UTC) at 12:00:0n: in the past, one day bucket, inside every keep window. */
function yesterdayAt(second: number): string {
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
  return `${day}T12:00:0${second}Z`
}

describe.skipIf(!plakar)('scripts/scheduled-job.sh with the real plakar', () => {
  let emu: Emulator
  let home: PlakarHome
  let lock: string

  const runJob = (env: NodeJS.ProcessEnv): Promise<JobRun> =>
    new Promise((resolve) => {
      const full = {
        ...plakarEnv(home.dir),
        ...home.env,
        PLAKAR: plakar,
        SCW_SM_STORE: home.store,
        SCW_SM_LOCK: lock,
        ...env,
      }
      execFile(JOB, [], { env: full, cwd: home.dir, encoding: 'utf8' }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, output: stdout + stderr })
      })
    })

  const jobSnapshots = async (job: string): Promise<string[]> => {
    const listed = await home.at(['ls', '-job', job])
    return listed.stdout
      .toString()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/)[1] ?? '')
  }

  beforeAll(async () => {
    emu = await emulator({ seed: sampleSeed() })
    home = new PlakarHome(plakar ?? '')
    await home.install()
    await addReadmeEntries(home, emu) // the source `prod` and the destination `dr`
    lock = path.join(home.dir, 'job.lock')
    // Another job's snapshot in the same store: the job's prune must leave it alone.
    await home.at(['backup', '-job', 'other-job', '@prod'])
  })

  afterAll(async () => {
    await emu.close()
    home.cleanup()
  })

  it('first run: backs up, prunes, checks, drills; exit 0', async () => {
    emu.resetCounts()
    // The real plakar behind a probe that reports whether it inherited the job's lock (fd 9):
    // a plugin outliving a run with it would keep the next run from starting.
    const probe = path.join(home.dir, 'plakar-probe')
    writeFileSync(
      probe,
      `#!/bin/sh\n[ -e /proc/$$/fd/9 ] && echo 'LOCK FD INHERITED' >&2\nexec '${plakar}' "$@"\n`,
    )
    chmodSync(probe, 0o755)
    const run = await runJob({
      PLAKAR: probe,
      SCW_SM_BACKUP_FLAGS: `-force-timestamp ${yesterdayAt(1)}`,
    })
    expect(run.code, run.output).toBe(0)
    expect(run.output).not.toContain('LOCK FD INHERITED')
    const [first] = await jobSnapshots('scw-sm-prod')
    expect(await jobSnapshots('scw-sm-prod')).toHaveLength(1)
    for (const step of ['backup', 'prune', 'check', 'drill']) {
      expect(run.output).toContain(`scheduled-job[scw-sm-prod]: ${step}: ok`)
    }
    expect(run.output).toContain(`all steps passed (snapshot ${first})`)
    // The drill compared the snapshot with the DR project and wrote nothing anywhere.
    expect(run.output).toMatch(
      new RegExp(`dry run of restore into nl-ams/${DR_PROJECT}: 11 created, .* 0 failed`),
    )
    expect(writeCount(emu)).toBe(0)
    expect(emu.store.allSecrets(DR_PROJECT, 'nl-ams')).toEqual([])
    expect(run.output).not.toContain(SECRET_KEY)
  })

  it('second run: a new snapshot with the new version; prune keeps only the newest of the day', async () => {
    const [first] = await jobSnapshots('scw-sm-prod')
    const token = emu.store.allSecrets(SAMPLE_PROJECT_ID).find((s) => s.name === 'api-token')
    emu.store.addVersion(token?.id ?? '', { data_utf8: 'token-five' })
    const run = await runJob({ SCW_SM_BACKUP_FLAGS: `-force-timestamp ${yesterdayAt(2)}` })
    expect(run.code, run.output).toBe(0)
    const kept = await jobSnapshots('scw-sm-prod')
    expect(kept).toHaveLength(1)
    expect(kept[0]).not.toBe(first)
    expect(run.output).toContain(`all steps passed (snapshot ${kept[0]})`)
    const cat = await home.at(['cat', `${kept[0]}:/prod/api-token.secret/versions/5`])
    expect(cat.stdout.toString()).toBe('token-five')
    expect(await jobSnapshots('other-job')).toHaveLength(1)
  })

  it('a drill that fails makes the run fail (exit 1); the other steps still pass', async () => {
    // The key now opens the source project only, so the drill's restore is refused.
    emu.setKeys({
      keys: [
        {
          secret_key: SECRET_KEY,
          projects: [SAMPLE_PROJECT_ID],
          permission_sets: ['SecretManagerFullAccess'],
        },
      ],
    })
    const run = await runJob({ SCW_SM_BACKUP_FLAGS: `-force-timestamp ${yesterdayAt(3)}` })
    expect(run.code, run.output).toBe(1)
    for (const step of ['backup', 'prune', 'check']) {
      expect(run.output).toContain(`scheduled-job[scw-sm-prod]: ${step}: ok`)
    }
    expect(run.output).toContain('scheduled-job[scw-sm-prod]: drill: FAILED')
    expect(run.output).toMatch(/FAILED: drill\n$/)
    expect(await jobSnapshots('scw-sm-prod')).toHaveLength(1)
    expect(run.output).not.toContain(SECRET_KEY)
  })

  it('a backup with failed items is a failed backup, not followed by a prune (exit 1)', async () => {
    const before = await jobSnapshots('scw-sm-prod')
    // Listing works, payloads are refused, and one payload is new: plakar finishes the
    // backup with that item failed, and exits 0.
    const token = emu.store.allSecrets(SAMPLE_PROJECT_ID).find((s) => s.name === 'api-token')
    emu.store.addVersion(token?.id ?? '', { data_utf8: 'token-six' })
    emu.setKeys({
      keys: [
        {
          secret_key: SECRET_KEY,
          projects: [SAMPLE_PROJECT_ID],
          permission_sets: ['SecretManagerReadOnly'],
        },
      ],
    })
    const run = await runJob({ SCW_SM_BACKUP_FLAGS: `-force-timestamp ${yesterdayAt(4)}` })
    expect(run.code, run.output).toBe(1)
    expect(run.output).toMatch(/backup completed with [1-9][0-9]* errors? in /)
    expect(run.output).toContain(
      'scheduled-job[scw-sm-prod]: backup: FAILED (plakar reported items that failed)',
    )
    expect(run.output).toContain('prune: skipped, the backup failed')
    expect(run.output).not.toContain('prune: starting')
    // The partial snapshot is kept, and so is every earlier one.
    const after = await jobSnapshots('scw-sm-prod')
    expect(after).toHaveLength(before.length + 1)
    expect(after).toEqual(expect.arrayContaining(before))
    expect(run.output).not.toContain(SECRET_KEY)
  })

  it('does nothing while another run holds the lock (exit 75)', async () => {
    const holder: ChildProcessWithoutNullStreams = spawn('flock', [lock, '-c', 'echo held; read x'])
    await new Promise((resolve) => holder.stdout.once('data', resolve))
    const before = await home.snapshots()
    const run = await runJob({})
    holder.stdin.end()
    expect(run.code, run.output).toBe(75)
    expect(run.output).toContain('another run still holds')
    expect(await home.snapshots()).toEqual(before)
  })

  it('refuses a keep policy without a count (exit 2) before doing anything', async () => {
    const before = await home.snapshots()
    const run = await runJob({ SCW_SM_KEEP: '-days 14' })
    expect(run.code, run.output).toBe(2)
    expect(run.output).toContain("SCW_SM_KEEP='-days 14' has no keep count")
    expect(await home.snapshots()).toEqual(before)
  })
})

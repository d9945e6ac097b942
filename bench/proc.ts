// Resource figures of another process, read from Linux /proc: peak resident memory
// (VmHWM) and CPU time (utime + stime). Both only ever grow, so the last reading taken
// before a process exits is its total, and the largest reading of a sampler is too.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export interface ProcUsage {
  pid: number
  peakRssMb: number
  cpuS: number
}

/** Kernel clock ticks per second; asked once, 100 on every usual Linux. */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** The fields after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  const stat = readText(`/proc/${pid}/stat`)
  if (stat === undefined) return undefined
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(' ')
}

/** Current figures of `pid`, or undefined once it has gone (or is a zombie without memory). */
export function readUsage(pid: number): ProcUsage | undefined {
  const fields = statFields(pid)
  const hwm = readText(`/proc/${pid}/status`)?.match(/^VmHWM:\s+(\d+) kB/m)?.[1]
  if (!fields || hwm === undefined) return undefined
  // fields[0] is field 3 of proc(5) (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12])
  return { pid, peakRssMb: Number(hwm) / 1024, cpuS: ticks / TICKS }
}

function parentOf(pid: number): number | undefined {
  const ppid = statFields(pid)?.[1]
  return ppid === undefined ? undefined : Number(ppid)
}

function commandLine(pid: number): string {
  return (readText(`/proc/${pid}/cmdline`) ?? '').replaceAll('\u0000', ' ')
}

/** Every live descendant of `root` whose command line contains `needle`. */
function findDescendants(root: number, needle: string): number[] {
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
  const parents = new Map(pids.map((pid) => [pid, parentOf(pid)]))
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
      if (p === root) return true
    }
    return false
  }
  return pids.filter((pid) => isDescendant(pid) && commandLine(pid).includes(needle))
}

/**
 * Polls the descendants of a process (plakar) for plugin children, keeping each child's
 * latest figures. plakar reaps a plugin as soon as it exits, so polling is the only way
 * in; what a child does in its last interval is missed (at most `everyMs` of CPU).
 */
export class DescendantSampler {
  private readonly seen = new Map<number, ProcUsage>()
  private timer: NodeJS.Timeout | undefined
  /** The root's own latest figures (its children's CPU is not in them). */
  rootUsage: ProcUsage | undefined

  constructor(
    private readonly root: number,
    private readonly needle: string,
    private readonly everyMs = 25,
  ) {}

  start(): this {
    this.timer = setInterval(() => this.sample(), this.everyMs)
    this.sample()
    return this
  }

  private sample(): void {
    this.rootUsage = readUsage(this.root) ?? this.rootUsage
    for (const pid of findDescendants(this.root, this.needle)) {
      const usage = readUsage(pid)
      if (usage) this.seen.set(pid, usage)
    }
  }

  /** One entry per plugin process seen, in order of first sighting. */
  stop(): ProcUsage[] {
    clearInterval(this.timer)
    return [...this.seen.values()]
  }
}

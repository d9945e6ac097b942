// Microsecond wall clock that never repeats or goes backwards, so that every write gets a
// distinct timestamp and "updated after" comparisons in clients are never ambiguous.

const MICROS_PER_MS = 1000

export class Clock {
  private last = 0

  /** Next timestamp in RFC 3339 with microseconds and `Z`, as the real API prints them. */
  tick(): string {
    return formatMicros(this.nextMicros())
  }

  private nextMicros(): number {
    const now = Math.floor((performance.timeOrigin + performance.now()) * MICROS_PER_MS)
    this.last = now > this.last ? now : this.last + 1
    return this.last
  }
}

export const formatMicros = (micros: number): string => {
  const seconds = new Date(Math.floor(micros / MICROS_PER_MS)).toISOString().slice(0, 19)
  const fraction = String(micros % 1_000_000).padStart(6, '0')
  return `${seconds}.${fraction}Z`
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/

export const parseMicros = (timestamp: string): number | undefined => {
  const match = TIMESTAMP.exec(timestamp)
  if (!match?.[1]) return undefined
  const seconds = Date.parse(`${match[1]}Z`)
  if (Number.isNaN(seconds)) return undefined
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6)
  return seconds * MICROS_PER_MS + Number(fraction)
}

export const isTimestamp = (value: string): boolean => parseMicros(value) !== undefined

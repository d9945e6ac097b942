// Protobuf duration strings (`1800s`, `1800.000000000s`, `1.5s`) as ephemeral policies carry
// them. The real API answers `1800s` for a request of `1800.000000000s`, so values are
// normalised to protobuf's canonical JSON form: 0, 3, 6 or 9 fractional digits.

const DURATION = /^(\d{1,12})(?:\.(\d{1,9}))?s$/

export interface Duration {
  seconds: number
  nanos: number
}

export const parseDuration = (text: string): Duration | undefined => {
  const match = DURATION.exec(text)
  if (!match?.[1]) return undefined
  return { seconds: Number(match[1]), nanos: Number((match[2] ?? '').padEnd(9, '0')) }
}

export const formatDuration = ({ seconds, nanos }: Duration): string => {
  if (nanos === 0) return `${seconds}s`
  const digits = String(nanos).padStart(9, '0')
  const width = digits.endsWith('000000') ? 3 : digits.endsWith('000') ? 6 : 9
  return `${seconds}.${digits.slice(0, width)}s`
}

export const durationMillis = ({ seconds, nanos }: Duration): number =>
  seconds * 1000 + Math.floor(nanos / 1_000_000)

// Logging for the plugin processes. stdout is the gRPC wire, so every line goes to
// stderr. Callers pass messages that never contain a secret key or a payload.

type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

function threshold(): number {
  const wanted = (process.env.SCW_SM_LOG_LEVEL ?? 'info').toLowerCase()
  return wanted in ORDER ? ORDER[wanted as Level] : ORDER.info
}

function write(level: Level, message: string): void {
  if (ORDER[level] < threshold()) return
  process.stderr.write(`scw-secret-manager: ${level}: ${message}\n`)
}

// Advice about the configuration is given once per process, however many sessions start.
const warned = new Set<string>()

function warnOnce(message: string): void {
  if (warned.has(message)) return
  warned.add(message)
  write('warn', message)
}

export const log = {
  debug: (message: string) => write('debug', message),
  info: (message: string) => write('info', message),
  warn: (message: string) => write('warn', message),
  warnOnce,
  error: (message: string) => write('error', message),
}

// Logging for the plugin processes. stdout is the gRPC wire, so every line goes to
// stderr. Callers pass messages that never contain a secret key or a payload.

type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

function write(level: Level, message: string): void {
  const wanted = (process.env.SCW_SM_LOG_LEVEL ?? 'info').toLowerCase()
  if (ORDER[level] < (ORDER[wanted as Level] ?? ORDER.info)) return
  process.stderr.write(`scw-secret-manager: ${level}: ${message}\n`)
}

// Advice about the configuration is given once per process, however many sessions start.
const warned = new Set<string>()

export const log = {
  debug: (message: string) => write('debug', message),
  info: (message: string) => write('info', message),
  warn: (message: string) => write('warn', message),
  warnOnce: (message: string) => {
    if (!warned.has(message)) write('warn', message)
    warned.add(message)
  },
  error: (message: string) => write('error', message),
}

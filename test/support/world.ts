// A fresh emulator and the configs that point the connectors at it.
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/index.js'

export const SECRET_KEY = '0c4a7d2e-5b1f-4e3a-9d6c-8f7e6d5c4b3a'
export const ACCESS_KEY = 'SCWTESTACCESSKEY0001'
export const DEST_PROJECT = '7d0b3c2a-1e4f-4a5b-8c6d-0000000000b2'

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator(options)
}

export function connectorConfig(
  emu: Emulator,
  location: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    location,
    access_key: ACCESS_KEY,
    secret_key: SECRET_KEY,
    api_url: emu.url,
    ...extra,
  }
}

export function accessCount(emu: Emulator): number {
  return emu.counts()['GET /secrets/{id}/versions/{rev}/access'] ?? 0
}

export function writeCount(emu: Emulator): number {
  return Object.entries(emu.counts())
    .filter(([route]) => /^(POST|PATCH|DELETE) /.test(route))
    .reduce((sum, [, n]) => sum + n, 0)
}

/** Faults the emulator injected since the last reset. */
export function faultCount(emu: Emulator): number {
  return Object.entries(emu.counts())
    .filter(([route]) => route.startsWith('fault '))
    .reduce((sum, [, n]) => sum + n, 0)
}

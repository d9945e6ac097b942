// The value formats Scaleway defines, shared by config keys, environment variables,
// the scw config file and the location, so every source is held to the same rules.
import { REGIONS, type Region } from '../scaleway/api.js'

export const UUID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
export const ACCESS_KEY_PATTERN = /^SCW[A-Z0-9]{17}$/
/** Labels (environment, data classes) end up in reports and tags: keep them boring. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{0,31}$/

export const REGION_LIST = REGIONS.join(', ')

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value)
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value)
}

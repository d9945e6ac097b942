// Query-string parameters and pagination, with the real API's rules: pages start at 1,
// page_size is capped at 100 (larger is a 400 on page_size), total_count is the full count.

import { invalidArgument } from './errors.js'

const MAX_PAGE_SIZE = 100

export interface PageRequest {
  page: number
  pageSize: number
}

const readInteger = (query: URLSearchParams, key: string): number | undefined => {
  const raw = query.get(key)
  if (raw === null || raw === '') return undefined
  if (!/^-?\d+$/.test(raw)) throw invalidArgument(key, 'format', `${key} must be an integer`)
  return Number(raw)
}

export const readPage = (query: URLSearchParams, defaultPageSize: number): PageRequest => {
  const page = readInteger(query, 'page') ?? 1
  if (page < 1) throw invalidArgument('page', 'constraint', 'page must be greater than 0')
  const pageSize = readInteger(query, 'page_size') ?? defaultPageSize
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalidArgument(
      'page_size',
      'constraint',
      `page_size must be between 1 and ${MAX_PAGE_SIZE}`,
    )
  }
  return { page, pageSize }
}

export const pageOf = <T>(items: T[], { page, pageSize }: PageRequest): T[] =>
  items.slice((page - 1) * pageSize, page * pageSize)

export const readBoolean = (query: URLSearchParams, key: string): boolean | undefined => {
  const raw = query.get(key)
  if (raw === null || raw === '') return undefined
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw invalidArgument(key, 'format', `${key} must be a boolean`)
}

export const readEnum = <T extends string>(
  query: URLSearchParams,
  key: string,
  allowed: readonly T[],
): T | undefined => {
  const raw = query.get(key)
  if (raw === null || raw === '') return undefined
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalidArgument(key, 'format', `${key} must be one of ${allowed.join(', ')}`)
  }
  return raw as T
}

export const readEnumList = <T extends string>(
  query: URLSearchParams,
  key: string,
  allowed: readonly T[],
): T[] => {
  const values = query.getAll(key).filter((v) => v !== '')
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v)) {
      throw invalidArgument(key, 'format', `${key} must be one of ${allowed.join(', ')}`)
    }
  }
  return values as T[]
}

export const readNonEmpty = (query: URLSearchParams, key: string): string | undefined => {
  const raw = query.get(key)
  return raw === null || raw === '' ? undefined : raw
}

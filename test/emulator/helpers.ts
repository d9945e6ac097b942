// Plain-HTTP helpers shared by the emulator tests.

import { randomUUID } from 'node:crypto'
import type { Emulator, Region } from '../../emulator/index.js'

export const PROJECT = '6f0cbcbe-3b2e-4c4f-9b55-0a6c1a1d7e11'
export const OTHER_PROJECT = '0d3c2a41-7c55-4a8e-8f5e-9b1b7a0c2f22'
export const TOKEN = '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b'

type Json = ReturnType<typeof JSON.parse>

export interface Answer {
  status: number
  headers: Headers
  text: string
  json: Json
}

export interface CallOptions {
  body?: unknown
  rawBody?: string
  query?: Record<string, string | number | boolean | Array<string>>
  token?: string | null
  region?: Region | string
}

const searchOf = (query: CallOptions['query']): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v))
  }
  return params.size > 0 ? `?${params.toString()}` : ''
}

export const call = async (
  emu: Emulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> => {
  const region = options.region ?? 'fr-par'
  const url = `${emu.url}/secret-manager/v1beta1/regions/${region}${path}${searchOf(options.query)}`
  const token = options.token === undefined ? TOKEN : options.token
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  const res = await fetch(url, {
    method,
    headers: {
      ...(token === null ? {} : { 'X-Auth-Token': token }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    },
    ...(body === undefined ? {} : { body }),
  })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text === '' ? undefined : JSON.parse(text),
  }
}

export const createSecret = async (
  emu: Emulator,
  fields: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<Answer> =>
  call(emu, 'POST', '/secrets', {
    ...options,
    body: { project_id: PROJECT, name: `s-${randomUUID().slice(0, 8)}`, ...fields },
  })

export const b64 = (text: string | Buffer): string =>
  (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64')

export const addVersion = async (
  emu: Emulator,
  secretId: string,
  fields: Record<string, unknown>,
  options: CallOptions = {},
): Promise<Answer> =>
  call(emu, 'POST', `/secrets/${secretId}/versions`, { ...options, body: fields })

// Payloads travel as base64 in JSON. Buffer.from(…, 'base64') silently skips junk, so the
// text is checked first: the gateway accepts the standard and URL-safe alphabets, with or
// without padding, and nothing else.

const STANDARD = /^[A-Za-z0-9+/]*(={0,2})$/
const URL_SAFE = /^[A-Za-z0-9_-]*(={0,2})$/

export const decodeBase64 = (text: string): Buffer | undefined => {
  const match = STANDARD.exec(text) ?? URL_SAFE.exec(text)
  if (!match) return undefined
  const padded = (match[1] ?? '').length > 0
  if (padded ? text.length % 4 !== 0 : text.length % 4 === 1) return undefined
  return Buffer.from(text, 'base64')
}

export const encodeBase64 = (data: Buffer): string => data.toString('base64')

import { describe, expect, it } from 'vitest'
import { classifyRoute, isCreate, routeOf } from '../../src/scaleway/route.js'

const BASE = '/secret-manager/v1beta1/regions/fr-par'
const S = '842d724a-1e9c-4017-ac08-6bf83cab4c64'

describe('routeOf', () => {
  it('templates ids and revisions and drops the query', () => {
    expect(routeOf('GET', `${BASE}/secrets?project_id=${S}&name=db&page=1`)).toBe('GET /secrets')
    expect(routeOf('GET', `${BASE}/secrets/${S}`)).toBe('GET /secrets/{id}')
    expect(routeOf('GET', `${BASE}/secrets/${S}/versions/3/access`)).toBe(
      'GET /secrets/{id}/versions/{rev}/access',
    )
    expect(routeOf('GET', `${BASE}/secrets/${S}/versions/latest_enabled`)).toBe(
      'GET /secrets/{id}/versions/{rev}',
    )
    expect(routeOf('post', `${BASE}/secrets/${S}/versions/2/enable`)).toBe(
      'POST /secrets/{id}/versions/{rev}/enable',
    )
    expect(routeOf('GET', `${BASE}/secrets/browse?prefix=/a`)).toBe('GET /secrets/browse')
  })

  it('templates ids that are not UUIDs too (emulators may hand out others)', () => {
    expect(routeOf('DELETE', `${BASE}/secrets/abc/versions/7`)).toBe(
      'DELETE /secrets/{id}/versions/{rev}',
    )
  })
})

describe('route classes', () => {
  it('splits reads, payload accesses and writes', () => {
    expect(classifyRoute('GET /secrets')).toBe('read')
    expect(classifyRoute('GET /secrets/{id}/versions/{rev}/access')).toBe('access')
    expect(classifyRoute('PATCH /secrets/{id}')).toBe('write')
    expect(classifyRoute('POST /secrets/{id}/protect')).toBe('write')
  })

  it('treats the two creating POSTs, and unknown POSTs, as creates', () => {
    expect(isCreate('POST /secrets')).toBe(true)
    expect(isCreate('POST /secrets/{id}/versions')).toBe(true)
    expect(isCreate('POST /secrets/{id}/something-new')).toBe(true)
    expect(isCreate('POST /secrets/{id}/protect')).toBe(false)
    expect(isCreate('POST /secrets/{id}/restore')).toBe(false)
    expect(isCreate('POST /secrets/{id}/versions/{rev}/disable')).toBe(false)
    expect(isCreate('PATCH /secrets/{id}')).toBe(false)
    expect(isCreate('DELETE /secrets/{id}/versions/{rev}')).toBe(false)
  })
})

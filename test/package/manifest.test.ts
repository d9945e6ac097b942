// manifest.yaml is read by `plakar pkg create` and by Plakar Control Plane: it must carry
// every field they show, only fields plakar's package format knows, and name files that
// exist: executables that are launchers, the bundles they run, and the JSON Schemas.
import { accessSync, constants, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const ROOT = path.resolve(import.meta.dirname, '../..')
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')

interface Connector {
  type: string
  class: string
  subclass: string
  protocols: string[]
  location_flags: string[]
  executable: string
  extra_files: string[]
  validator: string
}

const manifest = parse(read('manifest.yaml')) as Record<string, unknown> & {
  connectors: Connector[]
}
const pkg = JSON.parse(read('package.json')) as { name: string; license: string }

// The yaml fields of plakar's package manifest (github.com/PlakarKorp/pkg v1.1.0,
// manifest.go, as used by plakar v1.1.4): anything else would be silently ignored.
const MANIFEST_FIELDS = [
  'name',
  'display_name',
  'description',
  'tier',
  'contact',
  'homepage',
  'license',
  'tags',
  'api_version',
  'connectors',
]
const CONNECTOR_FIELDS = [
  'type',
  'class',
  'subclass',
  'validator',
  'protocols',
  'location_flags',
  'executable',
  'args',
  'extra_files',
]
// kloset v1.1.3 location.ParseFlag.
const LOCATION_FLAGS = ['localfs', 'file', 'stream', 'needack', 'nomerge']

describe('manifest.yaml', () => {
  it('carries the package fields Plakar Control Plane shows, and only known fields', () => {
    for (const field of ['name', 'display_name', 'description', 'homepage', 'license']) {
      expect(typeof manifest[field], field).toBe('string')
      expect(String(manifest[field]).trim(), field).not.toBe('')
    }
    expect(manifest.name).toBe(pkg.name)
    expect(manifest.license).toBe(pkg.license)
    expect(manifest.api_version).toBe('v1.1.0')
    expect(Array.isArray(manifest.tags) && manifest.tags.length > 0).toBe(true)
    expect(MANIFEST_FIELDS).toEqual(expect.arrayContaining(Object.keys(manifest)))
  })

  it('declares one importer and one exporter for scw-secret', () => {
    expect(manifest.connectors.map((c) => c.type)).toEqual(['importer', 'exporter'])
    for (const connector of manifest.connectors) {
      expect(CONNECTOR_FIELDS).toEqual(expect.arrayContaining(Object.keys(connector)))
      expect(connector.class).toBe('security')
      expect(connector.subclass).toBe('secret-manager')
      expect(connector.protocols).toEqual(['scw-secret'])
      expect(LOCATION_FLAGS).toEqual(expect.arrayContaining(connector.location_flags))
    }
  })

  it.each(['importer', 'exporter'])(
    '%s: its executable is a launcher for a shipped bundle',
    (type) => {
      const connector = manifest.connectors.find((c) => c.type === type)
      if (connector === undefined) throw new Error(`no ${type} connector`)
      expect(connector.executable).toBe(`bin/${type}`)
      accessSync(path.join(ROOT, connector.executable), constants.X_OK)
      const launcher = read(connector.executable)
      expect(launcher.split('\n')[0]).toBe('#!/bin/sh')
      expect(launcher).toContain(`"$here/../dist/${type}.js"`)
      expect(launcher).toContain('. "$here/launch.sh"')
      expect(connector.extra_files).toEqual(['bin/launch.sh', `dist/${type}.js`])
    },
  )

  it.each(['importer', 'exporter'])('%s: its validator is the generated JSON Schema', (type) => {
    const connector = manifest.connectors.find((c) => c.type === type)
    expect(connector?.validator).toBe(`schema/${type}.schema.json`)
    const schema = JSON.parse(read(connector?.validator ?? '')) as Record<string, unknown>
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.additionalProperties).toBe(false)
  })
})

// The services share one protobuf writer for speed; a message that fails to encode
// half-way must not leave bytes in front of the next message, on any call.
import { describe, expect, it } from 'vitest'
import { InitResponse } from '../../proto/generated/importer.js'
import { ImporterService } from '../../src/importer/service.js'
import { PREFIX } from '../../src/plugin/grpc.js'
import { importerRoutes } from '../../src/plugin/protocol.js'

describe('the shared message writer', () => {
  it('frames the next message cleanly after one fails half-way', () => {
    const route = importerRoutes(new ImporterService()).get('/importer.Importer/Init')
    if (!route) throw new Error('no Init in the importer routes')
    // The strings are written before flags, which is not a uint32: encoding throws late.
    const broken = { origin: 'fr-par/project', type: 'scw-secret', root: '/', flags: -1 }
    expect(() => route.frame(broken)).toThrow(/uint32/)
    const good = { origin: 'nl-ams/other', type: 'scw-secret', root: '/', flags: 0 }
    const frame = Buffer.from(route.frame(good))
    expect(frame[0]).toBe(0)
    expect(frame.readUInt32BE(1)).toBe(frame.length - PREFIX)
    expect(InitResponse.decode(frame.subarray(PREFIX))).toEqual(good)
  })
})

// The services share one protobuf writer for speed; a message that fails to encode
// half-way must not leave bytes in front of the next message, on any call.
import { describe, expect, it } from 'vitest'
import { InitResponse } from '../../proto/generated/importer.js'
import { importerService } from '../../src/plugin/protocol.js'

describe('the shared message writer', () => {
  it('encodes the next message cleanly after one fails half-way', () => {
    const serialize = importerService.Init?.responseSerialize
    if (!serialize) throw new Error('no Init in the importer service')
    // The strings are written before flags, which is not a uint32: encoding throws late.
    const broken = { origin: 'fr-par/project', type: 'scw-secret', root: '/', flags: -1 }
    expect(() => serialize(broken)).toThrow(/uint32/)
    const good = { origin: 'nl-ams/other', type: 'scw-secret', root: '/', flags: 0 }
    expect(InitResponse.decode(serialize(good))).toEqual(good)
  })
})

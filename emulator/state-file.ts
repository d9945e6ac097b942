// Whole-state snapshots, for `--state <file>`: loaded at start when the file exists, written
// back (atomically, via a temporary file) after writes and at exit. Unlike a seed, a snapshot
// keeps ids, timestamps and version states exactly.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { SecretStore } from './store.js'
import type { SecretRecord, VersionRecord } from './types.js'

export const STATE_FORMAT = 'scw-sm-emulator-state/1'

type VersionState = Omit<VersionRecord, 'data'> & { dataBase64: string }
type SecretState = Omit<SecretRecord, 'versions'> & { versions: VersionState[] }

export interface StateDoc {
  format: typeof STATE_FORMAT
  secrets: SecretState[]
}

const versionState = ({ data, ...rest }: VersionRecord): VersionState => ({
  ...rest,
  ephemeralProperties: rest.ephemeralProperties && { ...rest.ephemeralProperties },
  dataBase64: data.toString('base64'),
})

export const snapshot = (store: SecretStore): StateDoc => ({
  format: STATE_FORMAT,
  secrets: [...store.all()].map(({ versions, ...secret }) => ({
    ...secret,
    tags: [...secret.tags],
    usedBy: [...secret.usedBy],
    ephemeralPolicy: secret.ephemeralPolicy && { ...secret.ephemeralPolicy },
    versions: versions.map(versionState),
  })),
})

const versionRecord = ({ dataBase64, ...rest }: VersionState): VersionRecord => ({
  ...rest,
  ephemeralProperties: rest.ephemeralProperties && { ...rest.ephemeralProperties },
  data: Buffer.from(dataBase64, 'base64'),
})

export const loadSnapshot = (store: SecretStore, doc: StateDoc): void => {
  if (doc.format !== STATE_FORMAT) throw new Error(`state: unknown format ${String(doc.format)}`)
  store.clear()
  for (const { versions, ...secret } of doc.secrets) {
    store.restoreRecord({
      ...secret,
      tags: [...secret.tags],
      usedBy: [...secret.usedBy],
      ephemeralPolicy: secret.ephemeralPolicy && { ...secret.ephemeralPolicy },
      versions: versions.map(versionRecord),
    })
  }
}

export const readStateFile = (path: string): StateDoc | undefined =>
  existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StateDoc) : undefined

/** Coalesces bursts of writes into one file write per event-loop turn. */
export class StatePersister {
  private pending: NodeJS.Immediate | undefined

  constructor(
    private readonly store: SecretStore,
    private readonly path: string,
  ) {}

  schedule(): void {
    this.pending ??= setImmediate(() => this.flush())
  }

  flush(): void {
    if (this.pending) clearImmediate(this.pending)
    this.pending = undefined
    const tmp = `${this.path}.tmp-${process.pid}`
    writeFileSync(tmp, `${JSON.stringify(snapshot(this.store))}\n`)
    renameSync(tmp, this.path)
  }
}

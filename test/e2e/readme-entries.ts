// The README's `plakar source add` / `destination add` lines, run against the real plakar
// as written, with the emulator's ids and keys in place of the placeholders. The API
// endpoint comes from SCW_API_URL in plakar's environment, so the lines stay untouched.

import type { Emulator } from '../../emulator/index.js'
import { SAMPLE_PROJECT_ID } from '../../emulator/sample.js'
import type { PlakarHome } from '../../scripts/lib/plakar-home.js'
import { fillPlaceholders, type ReadmeExample, readmeExamples } from '../config/readme-examples.js'
import { ACCESS_KEY, SECRET_KEY } from '../support/world.js'

export const DR_PROJECT = '3f1e2d3c-4b5a-4968-8776-000000000d01'

const README_VALUES = {
  'project-id': SAMPLE_PROJECT_ID,
  'other-project-id': DR_PROJECT,
  'access-key': ACCESS_KEY,
  'secret-key': SECRET_KEY,
}

/** Points the home's plakar (and so the plugin) at the emulator, and adds every entry. */
export async function addReadmeEntries(home: PlakarHome, emu: Emulator): Promise<ReadmeExample[]> {
  home.env = { ...home.env, SCW_API_URL: emu.url }
  const examples = readmeExamples()
  for (const example of examples) {
    const words = example.words.map((word) => fillPlaceholders(word, README_VALUES))
    await home.ok([example.kind, 'add', example.name, ...words])
  }
  return examples
}

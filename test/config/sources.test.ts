import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  ACCESS,
  configPath,
  exporter,
  importer,
  importerError,
  OTHER_ACCESS,
  OTHER_PROJECT,
  OTHER_SECRET,
  PROJECT,
  problemKeys,
  removeHomes,
  SECRET,
  tempHome,
} from './helpers.js'

afterAll(removeHomes)

const THIRD_PROJECT = 'cccccccc-dddd-4eee-8fff-000000000000'
const THIRD_SECRET = '12345678-90ab-4cde-8f01-234567890abc'
const FILE_ACCESS = 'SCWFILEFILEFILE00000'

const fileYaml = `
access_key: ${FILE_ACCESS}
secret_key: ${THIRD_SECRET}
default_region: pl-waw
default_project_id: ${THIRD_PROJECT}
api_url: http://file.example:1/
`

const fullEnv = {
  SCW_ACCESS_KEY: OTHER_ACCESS,
  SCW_SECRET_KEY: OTHER_SECRET,
  SCW_DEFAULT_REGION: 'nl-ams',
  SCW_DEFAULT_PROJECT_ID: OTHER_PROJECT,
  SCW_API_URL: 'http://env.example:2',
}

const fullConfig = {
  location: `scw-secret://fr-par/${PROJECT}`,
  access_key: ACCESS,
  secret_key: SECRET,
  api_url: 'http://config.example:3',
}

describe('precedence: config > environment > file', () => {
  // Each source holds other values, so what a field holds names the source it came from.
  const cases = [
    {
      name: 'takes everything from the config (and location) when all three have values',
      input: fullConfig,
      env: fullEnv,
      want: ['fr-par', PROJECT, ACCESS, 'http://config.example:3', SECRET],
    },
    {
      name: 'falls back to the environment',
      input: { location: 'scw-secret://' },
      env: fullEnv,
      want: ['nl-ams', OTHER_PROJECT, OTHER_ACCESS, 'http://env.example:2', OTHER_SECRET],
    },
    {
      name: 'falls back to the file last',
      input: { location: 'scw-secret://' },
      env: {},
      want: ['pl-waw', THIRD_PROJECT, FILE_ACCESS, 'http://file.example:1', THIRD_SECRET],
    },
    {
      name: 'mixes sources key by key',
      input: { location: 'scw-secret://fr-par' },
      env: { SCW_SECRET_KEY: OTHER_SECRET },
      want: ['fr-par', THIRD_PROJECT, FILE_ACCESS, 'http://file.example:1', OTHER_SECRET],
    },
  ]
  it.each(cases)('$name', ({ input, env, want }) => {
    const [region, projectId, accessKey, apiUrl, secret] = want
    const config = importer(input, { env, homeDir: tempHome(fileYaml) })
    expect(config).toMatchObject({ region, projectId, accessKey, apiUrl })
    expect(config.secretKey.reveal()).toBe(secret)
  })

  it('treats empty environment variables as unset', () => {
    const home = tempHome(fileYaml)
    const env = { SCW_DEFAULT_REGION: '', SCW_SECRET_KEY: '' }
    const config = importer({ location: 'scw-secret://' }, { env, homeDir: home })
    expect(config.region).toBe('pl-waw')
    expect(config.secretKey.reveal()).toBe(THIRD_SECRET)
  })

  it('leaves api_url (the SDK default then) and access_key unset when given nowhere', () => {
    const config = importer({ location: `scw-secret://fr-par/${PROJECT}`, secret_key: SECRET })
    expect(config.apiUrl).toBeUndefined()
    expect(config.accessKey).toBeUndefined()
  })

  it('refuses an invalid environment value instead of falling through to the file', () => {
    const home = tempHome(fileYaml)
    const error = importerError(
      { location: 'scw-secret://' },
      { env: { SCW_DEFAULT_REGION: 'mars-1' }, homeDir: home },
    )
    expect(problemKeys(error)).toEqual(['region'])
    expect(error.message).toContain(
      'region (from environment variable SCW_DEFAULT_REGION): not a Secret Manager region; got "mars-1"',
    )
  })

  it('refuses an invalid file value, naming the file and profile', () => {
    const home = tempHome('default_project_id: 42\ndefault_region: fr-par\n')
    const error = importerError(
      { location: 'scw-secret://', secret_key: SECRET },
      { env: {}, homeDir: home },
    )
    expect(problemKeys(error)).toEqual(['project_id'])
    expect(error.message).toContain(
      `project_id (from default_project_id in ${configPath(home)}, profile "default"): not a string`,
    )
  })

  it('strips one layer of quotes from file and environment values', () => {
    const home = tempHome(`secret_key: "'${THIRD_SECRET}'"\ndefault_project_id: '"${PROJECT}"'\n`)
    const config = importer(
      { location: 'scw-secret://' },
      { env: { SCW_DEFAULT_REGION: '"nl-ams"' }, homeDir: home },
    )
    expect(config.secretKey.reveal()).toBe(THIRD_SECRET)
    expect(config.projectId).toBe(PROJECT)
    expect(config.region).toBe('nl-ams')
  })
})

describe('missing values', () => {
  it('names the key and every place it can come from', () => {
    const home = tempHome()
    const error = importerError({ location: 'scw-secret://' }, { env: {}, homeDir: home })
    expect(problemKeys(error)).toEqual(['region', 'project_id', 'secret_key'])
    const [region, project, secret] = error.problems.map((problem) => problem.text)
    for (const [text, key, envVar, fileKey, configKeys] of [
      [region, 'region', 'SCW_DEFAULT_REGION', 'default_region', 'region'],
      [project, 'project_id', 'SCW_DEFAULT_PROJECT_ID', 'default_project_id', 'project_id'],
      [secret, 'secret_key', 'SCW_SECRET_KEY', 'secret_key', 'secret_access_key (or secret_key)'],
    ] as const) {
      expect(text).toContain(`${key}: missing.`)
      expect(text).toContain(`the config key ${configKeys}`)
      expect(text).toContain(`the environment variable ${envVar}`)
      expect(text).toContain(`${fileKey} in the scw config file ${configPath(home)}`)
    }
    expect(region).toContain('the location (scw-secret://<region>/<project_id>/<folder>)')
    expect(secret).not.toContain('the location')
    expect(error.message).toContain('(which does not exist)')
  })

  it('names the selected profile when the file exists', () => {
    const home = tempHome('profiles:\n  work:\n    default_region: fr-par\n')
    const error = importerError(
      { location: 'scw-secret://', profile: 'work' },
      { env: {}, homeDir: home },
    )
    expect(error.message).toContain(`${configPath(home)} (profile "work" or the top level)`)
  })
})

describe('scw config file location', () => {
  it('honours SCW_CONFIG_PATH', () => {
    const dir = tempHome()
    const path = join(dir, 'custom.yaml')
    writeFileSync(path, `secret_key: ${SECRET}\n`)
    const config = importer(
      { location: `scw-secret://fr-par/${PROJECT}` },
      { env: { SCW_CONFIG_PATH: path }, homeDir: tempHome() },
    )
    expect(config.secretKey.reveal()).toBe(SECRET)
  })

  it('honours XDG_CONFIG_HOME', () => {
    const xdg = tempHome()
    mkdirSync(join(xdg, 'scw'))
    writeFileSync(join(xdg, 'scw', 'config.yaml'), `secret_key: ${SECRET}\n`)
    const config = importer(
      { location: `scw-secret://fr-par/${PROJECT}` },
      { env: { XDG_CONFIG_HOME: xdg }, homeDir: tempHome() },
    )
    expect(config.secretKey.reveal()).toBe(SECRET)
  })

  it('accepts an empty file', () => {
    const home = tempHome('')
    const config = importer(
      { location: `scw-secret://fr-par/${PROJECT}`, secret_key: SECRET },
      {
        homeDir: home,
      },
    )
    expect(config.region).toBe('fr-par')
  })

  it.each([
    ['unparsable YAML', 'secret_key: [unclosed\n', 'it is not valid YAML'],
    ['a YAML list', '- a\n- b\n', 'it is not a YAML mapping'],
    ['a non-mapping profiles entry', 'profiles: 3\n', 'its `profiles` entry is not a mapping'],
    ['a non-mapping profile', 'profiles:\n  p: 3\n', 'its profile "p" is not a mapping'],
    ['duplicate keys', 'secret_key: a\nsecret_key: b\n', 'it is not valid YAML (DUPLICATE_KEY'],
  ])('refuses %s, naming the file', (_, yaml, reason) => {
    const home = tempHome(yaml)
    const error = importerError(
      { location: `scw-secret://fr-par/${PROJECT}`, secret_key: SECRET },
      { homeDir: home },
    )
    expect(problemKeys(error)).toEqual(['scw config file'])
    expect(error.message).toContain(`scw config file ${configPath(home)}: ${reason}`)
  })

  it('refuses an unreadable path', () => {
    const home = tempHome()
    mkdirSync(configPath(home), { recursive: true })
    const error = importerError(
      { location: `scw-secret://fr-par/${PROJECT}`, secret_key: SECRET },
      { homeDir: home },
    )
    expect(error.message).toContain('it cannot be read (EISDIR)')
  })
})

const profilesYaml = `
active_profile: staging
access_key: ${FILE_ACCESS}
default_region: fr-par
default_project_id: ${THIRD_PROJECT}
secret_key: ${THIRD_SECRET}
profiles:
  staging:
    default_region: nl-ams
    secret_key: ${OTHER_SECRET}
  prod:
    default_region: pl-waw
    default_project_id: ${OTHER_PROJECT}
  empty:
`

describe('profiles', () => {
  const location = { location: 'scw-secret://' }

  it('uses active_profile, merged over the top-level values', () => {
    const home = tempHome(profilesYaml)
    const config = importer(location, { homeDir: home })
    expect(config.profile).toBe('staging')
    expect(config.region).toBe('nl-ams')
    expect(config.secretKey.reveal()).toBe(OTHER_SECRET)
    expect(config.projectId).toBe(THIRD_PROJECT)
    expect(config.accessKey).toBe(FILE_ACCESS)
  })

  it('lets SCW_PROFILE override active_profile', () => {
    const home = tempHome(profilesYaml)
    const config = importer(location, { env: { SCW_PROFILE: 'prod' }, homeDir: home })
    expect(config.profile).toBe('prod')
    expect([config.region, config.projectId]).toEqual(['pl-waw', OTHER_PROJECT])
    expect(config.secretKey.reveal()).toBe(THIRD_SECRET)
  })

  it('lets the profile key override SCW_PROFILE', () => {
    const home = tempHome(profilesYaml)
    const config = importer(
      { ...location, profile: 'staging' },
      { env: { SCW_PROFILE: 'prod' }, homeDir: home },
    )
    expect(config.region).toBe('nl-ams')
  })

  it('reads "default" as the top-level values only', () => {
    const home = tempHome(profilesYaml)
    const config = importer({ ...location, profile: 'default' }, { homeDir: home })
    expect(config.region).toBe('fr-par')
    expect(config.secretKey.reveal()).toBe(THIRD_SECRET)
  })

  it('accepts a profile with no body', () => {
    const home = tempHome(profilesYaml)
    expect(importer({ ...location, profile: 'empty' }, { homeDir: home }).region).toBe('fr-par')
  })

  it('refuses an unknown profile, listing the available ones', () => {
    const home = tempHome(profilesYaml)
    const error = importerError({ ...location, profile: 'prd' }, { homeDir: home })
    expect(problemKeys(error)).toEqual(['profile'])
    expect(error.message).toContain(
      `profile "prd" (requested by the config key profile) is not defined in ${configPath(home)}`,
    )
    expect(error.message).toContain('it defines "staging", "prod", "empty"')
  })

  it('refuses an unknown SCW_PROFILE and an unknown active_profile', () => {
    const home = tempHome(profilesYaml)
    const byEnv = importerError(location, { env: { SCW_PROFILE: 'nope' }, homeDir: home })
    expect(byEnv.message).toContain('requested by the environment variable SCW_PROFILE')
    const broken = tempHome(profilesYaml.replace('active_profile: staging', 'active_profile: gone'))
    const byFile = importerError(location, { homeDir: broken })
    expect(byFile.message).toContain(`requested by active_profile in ${configPath(broken)}`)
  })

  it('refuses a requested profile when there is no file', () => {
    const home = tempHome()
    const error = importerError(
      { location: `scw-secret://fr-par/${PROJECT}`, secret_key: SECRET, profile: 'work' },
      { homeDir: home },
    )
    expect(error.message).toContain(
      `profile "work" was requested by the config key profile, but ${configPath(home)} does not exist`,
    )
  })

  it('applies to the exporter too', () => {
    const home = tempHome(profilesYaml)
    expect(exporter(location, { env: { SCW_PROFILE: 'prod' }, homeDir: home }).region).toBe(
      'pl-waw',
    )
  })
})

/**
 * The archive export: what it holds (only what the user owns), that it matches its published
 * JSON Schema (checked by a small validator of the schema keywords the file uses), and that
 * `verifyArchive` refuses what it cannot trust, each time with its reason. PGlite, device schema
 * (the export runs on the device) and server schema (the same synced tables).
 */
import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { sharedLibraries } from '@/db/queries/local'
import { users } from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { strengthActivity, world, type World } from '@/domain/testing/world'
import { ArchiveError, canonicalJson, checksumOf, exportArchive, verifyArchive, type Archive } from './archive'
import { awkwardNotes, sampleHistory } from './sample-history'

let w: World
afterEach(() => w.close())

type Schema = Record<string, unknown>

/**
 * Validates `value` against `schema` for the keywords archive.schema.json uses ($ref into $defs,
 * type, const, enum, pattern, properties, required, additionalProperties, items, anyOf); returns
 * every problem with its path. Any other keyword except annotations is refused, so the schema
 * cannot grow a rule this validator silently ignores.
 */
function validate(root: Schema, value: unknown): string[] {
  const annotations = new Set(['$schema', '$id', 'title', 'description', 'format', '$defs'])
  const known = new Set(['$ref', 'type', 'const', 'enum', 'pattern', 'properties', 'required', 'additionalProperties', 'items', 'anyOf'])
  const typeOf = (v: unknown) =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v
  const check = (schema: Schema, v: unknown, path: string): string[] => {
    for (const key of Object.keys(schema)) if (!known.has(key) && !annotations.has(key)) return [`${path}: unknown keyword ${key}`]
    const problems: string[] = []
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/$defs/', '')
      const target = (root.$defs as Record<string, Schema>)[name]
      if (!target) return [`${path}: no $defs/${name}`]
      problems.push(...check(target, v, path))
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type]
      const actual = typeOf(v)
      if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [`${path}: ${actual} is not ${types}`]
    }
    if ('const' in schema && v !== schema.const) problems.push(`${path}: not ${JSON.stringify(schema.const)}`)
    if (Array.isArray(schema.enum) && !schema.enum.includes(v)) problems.push(`${path}: ${JSON.stringify(v)} not in enum`)
    if (typeof schema.pattern === 'string' && typeof v === 'string' && !new RegExp(schema.pattern, 'u').test(v)) {
      problems.push(`${path}: ${JSON.stringify(v)} does not match ${schema.pattern}`)
    }
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => check(s as Schema, v, path).length === 0)) {
      problems.push(`${path}: matches none of anyOf`)
    }
    if (typeOf(v) === 'object') {
      const object = v as Record<string, unknown>
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      for (const name of (schema.required ?? []) as string[]) if (!(name in object)) problems.push(`${path}: ${name} is required`)
      for (const [name, child] of Object.entries(object)) {
        if (properties[name]) problems.push(...check(properties[name], child, `${path}.${name}`))
        else if (schema.additionalProperties === false) problems.push(`${path}: ${name} is not allowed`)
      }
    }
    if (Array.isArray(v) && schema.items) v.forEach((item, i) => problems.push(...check(schema.items as Schema, item, `${path}[${i}]`)))
    return problems
  }
  return check(root, value, '$')
}

const jsonSchema = async () => JSON.parse(await readFile(new URL('./archive.schema.json', import.meta.url), 'utf8')) as Schema

describe.each(['device', 'server'] as const)('exportArchive (%s schema)', (schema) => {
  test('holds the whole history, matches archive.schema.json, and verifies', async () => {
    w = world({ ...(await testPglite(schema)), runtime: schema })
    const ann = await w.user('Ann')
    const h = await sampleHistory(w, ann)
    const archive = await exportArchive(w.db, ann.id, { now: new Date('2026-12-01T10:00:00Z') })

    expect(validate(await jsonSchema(), archive)).toEqual([])
    expect(archive).toMatchObject({ format: 'cadence-archive', version: 1, exportedAt: '2026-12-01T10:00:00.000Z' })
    expect(archive.checksum).toBe(await checksumOf(archive.data))
    const { data } = archive
    expect(data.account).toMatchObject({ id: ann.id, name: 'Ann' })
    expect(data.libraries.map((l) => l.name)).toEqual(["Ann's library", 'Travel'])
    const activities = data.libraries.flatMap((l) => l.activities)
    const bench = activities.find((a) => a.id === h.bench.id)!
    expect(bench.attributes.map((a) => [a.name, a.type, a.unit, a.retiredAt !== null])).toEqual([
      ['Weight', 'mass', 'kg', false],
      ['Reps', 'integer', null, false],
      ['RPE', 'number', null, false],
      ['Tempo', 'text', null, true],
    ])
    const grip = activities.find((a) => a.id === h.squat.id)!.attributes[3]!
    expect(grip.options.map((o) => [o.label, o.retiredAt !== null])).toEqual([
      ['Wide', false],
      ['Narrow', true],
    ])
    expect(activities.find((a) => a.id === h.old.id)!.deletedAt).not.toBeNull()
    const push = activities.find((a) => a.id === h.push)!
    expect(push.items.map((i) => [i.childId, i.repeat])).toEqual([
      [h.squat.id, 3],
      [h.bench.id, 2],
      [h.superset, 2],
    ])
    expect(push.templateVersions.map((v) => v.version)).toEqual([1, 2, 3])

    // Entries: roots oldest first, trees in order, values decoded, set types spelled out.
    expect(data.entries.map((e) => e.performedAt)).toEqual([...data.entries.map((e) => e.performedAt)].sort())
    const second = data.entries.find((e) => e.id === h.second)!
    expect(second.notes).toBe(awkwardNotes)
    expect(second.templateVersion).toBe(3)
    expect(second.children.map((c) => c.setType)).toEqual(['warmup', 'normal', 'failure', 'normal', 'drop', 'normal'])
    expect(second.children[1]!.values).toEqual([
      { attributeId: h.squat.weight, value: 102.5 },
      { attributeId: h.squat.reps, value: 5 },
      { attributeId: h.squat.rpe, value: 8 },
      { attributeId: h.squat.grip, value: h.squat.wide },
    ])
    const block = second.children[5]!
    expect(block.children.map((c) => c.activityId)).toEqual([h.curl.id, h.pushdown.id, h.curl.id, h.pushdown.id])
    expect(data.entries.find((e) => e.id === h.first)!.children[1]!.values.at(-1)).toEqual({ attributeId: h.bench.tempo, value: '3-1-1' })
    expect(data.entries.find((e) => e.id === h.runEntry)!.values.map((v) => v.value)).toEqual([5012.5, 1530])
    expect(data.tags.map((t) => [t.name, t.color])).toEqual([
      ['heavy', '#ff3366'],
      ['outdoors', null],
    ])
    expect(data.entryTags.map((t) => t.entryId).sort()).toEqual([h.second, h.block, h.runEntry].sort())
    expect(data.settings).toMatchObject({ massUnit: 'lb', distanceUnit: 'km', weekStartsOn: 0 })
    expect(data.imports.map((i) => [i.source, i.fileName, i.fileRows, i.undoneAt !== null])).toEqual([
      ['strong', 'strong, "old".csv', 3, false],
      ['hevy', 'hevy.csv', 1, true],
    ])
    const imported = data.entries.find((e) => e.importId === h.strongImport)!
    expect([imported.importKey, imported.importRow, imported.children.map((c) => [c.importRow, c.importKey])]).toEqual([
      'strong|2025-12-20 10:00:00|Imported day',
      2,
      [
        [2, null],
        [3, null],
      ],
    ])
    expect(data.entries.filter((e) => e.importId !== null)).toHaveLength(1)
    expect(data).toMatchObject({ goals: [], media: [], entryMedia: [] })
    await expect(verifyArchive(JSON.stringify(archive, null, 2))).resolves.toEqual(archive)
  })
})

describe('exportArchive', () => {
  test('leaves out libraries shared with the user and everyone else’s rows', async () => {
    w = world({ ...(await testPglite('server')), runtime: 'server' })
    const ann = await w.user('Ann')
    const bob = await w.user('Bob')
    const squat = strengthActivity(bob.libraryId, 'Bob squat')
    await w.ok(bob.id, 'createActivity', squat.args)
    await w.ok(bob.id, 'logEntry', {
      entry: { id: newId(), activityId: squat.ids.id, performedAt: '2026-01-01T10:00:00Z', values: { [squat.ids.reps]: 5 } },
    })
    const [annRow] = await w.db.select().from(users).where(eq(users.id, ann.id))
    const inviteId = newId()
    await w.ok(bob.id, 'shareLibrary', { inviteId, libraryId: bob.libraryId, email: annRow!.email, role: 'editor' })
    await w.ok(ann.id, 'acceptInvitation', { inviteId })
    expect(await sharedLibraries(w.db, ann.id)).toHaveLength(1)
    const { data } = await exportArchive(w.db, ann.id)
    expect(data.libraries.map((l) => l.id)).toEqual([ann.libraryId])
    expect(data.libraries[0]!.activities).toEqual([])
    expect(data.entries).toEqual([])
    expect(data.settings).toMatchObject({ massUnit: 'kg' })
  })
})

describe('verifyArchive', () => {
  const make = async (): Promise<Archive> => {
    w = world({ ...(await testPglite('device')), runtime: 'device' })
    const ann = await w.user('Ann')
    await sampleHistory(w, ann)
    return exportArchive(w.db, ann.id)
  }

  test('reads the file whatever its key order or indentation, and a byte-order mark', async () => {
    const archive = await make()
    const reordered = { data: archive.data, checksum: archive.checksum, exportedAt: archive.exportedAt, version: 1, format: archive.format }
    await expect(verifyArchive(`\uFEFF${JSON.stringify(reordered, null, 4)}`)).resolves.toEqual(archive)
    expect(canonicalJson({ b: [1, { d: 1, c: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"c":"x","d":1}]}')
  })

  test('refuses what is not an archive, a newer version, and a changed or truncated file, each saying so', async () => {
    const archive = await make()
    const text = JSON.stringify(archive)
    const refusal = (input: unknown) =>
      verifyArchive(input).then(
        () => 'accepted',
        (e: unknown) => (e instanceof ArchiveError ? e.message : e),
      )
    expect(await refusal('{"title":"Evening Workout"}')).toMatch(/not a Cadence archive/)
    expect(await refusal('Date,Workout Name\n')).toMatch(/not a Cadence archive/)
    expect(await refusal(null)).toMatch(/not a Cadence archive/)
    expect(await refusal({ ...archive, version: 2 })).toBe(
      'This archive was made by a newer Cadence (version 2); this one reads version 1. Update Cadence, then import it.',
    )
    expect(await refusal(text.slice(0, text.length - 40))).toMatch(/not JSON \(or it was cut short\)/)
    const changed = structuredClone(archive)
    changed.data.entries[0]!.notes = 'edited by hand'
    expect(await refusal(changed)).toBe('The checksum does not match: the file was changed or truncated.')
    const fewer = structuredClone(archive)
    fewer.data.entries.pop()
    expect(await refusal(JSON.stringify(fewer))).toMatch(/checksum does not match: the file was changed or truncated/)
    // A file whose checksum was recomputed over bad data is refused by its shape.
    const bad = structuredClone(archive) as unknown as { data: { entries: { setType: string }[] }; checksum: string }
    bad.data.entries[0]!.setType = 'cooldown'
    bad.checksum = await checksumOf(bad.data)
    expect(await refusal(bad)).toMatch(/^This archive is damaged: data\.entries\.0\.setType/)
    expect(validate(await jsonSchema(), bad)).toEqual([expect.stringContaining('$.data.entries[0].setType')])
  })
})

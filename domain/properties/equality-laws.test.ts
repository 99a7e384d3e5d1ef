/**
 * Property 3: equality laws over entry trees. Both equalities are reflexive and symmetric,
 * structural equality is transitive and implies qualitative, and structureKey decides structural
 * equality. Pure functions, no database.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { qualitativelyEqual, structurallyEqual, structureKey, type EntryTree } from '../equality'

const origins = ['a', 'b', 'c']
function treeArb(depth: number): fc.Arbitrary<EntryTree> {
  return fc.record({
    id: fc.uuid(),
    activityId: fc.uuid(),
    originId: fc.constantFrom(...origins),
    children: depth === 0 ? fc.constant([]) : fc.array(treeArb(depth - 1), { maxLength: 3 }),
  })
}

/** The same tree (shape and origins) under other entry and activity ids, as a copy would log it. */
function relabel(tree: EntryTree, tag: string): EntryTree {
  return {
    id: `${tree.id}-${tag}`,
    activityId: `${tree.activityId}-${tag}`,
    originId: tree.originId,
    children: tree.children.map((c) => relabel(c, tag)),
  }
}

describe('equality laws', () => {
  // a, b and c are each a relabelled copy of x, of y, or a tree of their own, so equal trees
  // (and chains of them) occur often enough to test the laws that need them.
  const familyArb = fc
    .record({
      x: treeArb(3),
      y: treeArb(3),
      own: fc.tuple(treeArb(3), treeArb(3), treeArb(3)),
      pick: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2)),
    })
    .map(
      ({ x, y, own, pick }) =>
        pick.map((p, i) => (p === 0 ? relabel(x, `x${i}`) : p === 1 ? relabel(y, `y${i}`) : own[i]!)) as [EntryTree, EntryTree, EntryTree],
    )

  test('qualitative and structural equality: reflexive, symmetric, transitive; structural implies qualitative and matches structureKey', () => {
    const seen = { structural: 0, qualitativeOnly: 0, transitiveChains: 0 }
    fc.assert(
      fc.property(familyArb, ([a, b, c]) => {
        for (const t of [a, b, c]) {
          expect(qualitativelyEqual(t, t)).toBe(true)
          expect(structurallyEqual(t, t)).toBe(true)
          expect(structurallyEqual(t, relabel(t, 'again'))).toBe(true)
        }
        for (const [p, q] of [
          [a, b],
          [b, c],
          [a, c],
        ] as const) {
          expect(qualitativelyEqual(p, q)).toBe(qualitativelyEqual(q, p))
          expect(structurallyEqual(p, q)).toBe(structurallyEqual(q, p))
          if (structurallyEqual(p, q)) expect(qualitativelyEqual(p, q)).toBe(true)
          expect(structurallyEqual(p, q)).toBe(structureKey(p) === structureKey(q))
          if (structurallyEqual(p, q)) seen.structural++
          else if (qualitativelyEqual(p, q)) seen.qualitativeOnly++
        }
        if (structurallyEqual(a, b) && structurallyEqual(b, c)) {
          seen.transitiveChains++
          expect(structurallyEqual(a, c)).toBe(true)
        }
        if (qualitativelyEqual(a, b) && qualitativelyEqual(b, c)) expect(qualitativelyEqual(a, c)).toBe(true)
      }),
      { seed: 20261103, numRuns: 1000 },
    )
    expect(seen.structural).toBeGreaterThan(250)
    expect(seen.qualitativeOnly).toBeGreaterThan(250)
    expect(seen.transitiveChains).toBeGreaterThan(50)
  })
})

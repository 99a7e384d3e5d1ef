/**
 * Entry equality: when two logged entries count as the same thing done again. This comment is
 * the definition (no design document holds it); `db/queries/entries.ts` finds previous entries
 * by it, `domain/properties/equality-laws.test.ts` checks its laws and
 * `domain/properties/template-edits.test.ts` the effect of a template edit.
 *
 * - Qualitative: two entries are of the same activity, or of copies of the same origin. Progress
 *   charts and "last time" hints compare these.
 * - Structural: qualitatively equal, with sub-trees of the same shape and qualitatively equal
 *   activities at each node, in order. Set-by-set comparison and "repeat last workout" need it.
 *   After a template edit, new entries stay qualitatively equal to old ones but diverge
 *   structurally.
 */

export type EntryTree = {
  id: string
  activityId: string
  /** The activity's origin (itself, or the first activity of its copy chain). */
  originId: string
  children: EntryTree[]
}

export function qualitativelyEqual(a: Pick<EntryTree, 'originId'>, b: Pick<EntryTree, 'originId'>): boolean {
  return a.originId === b.originId
}

export function structurallyEqual(a: EntryTree, b: EntryTree): boolean {
  return (
    qualitativelyEqual(a, b) &&
    a.children.length === b.children.length &&
    a.children.every((child, i) => structurallyEqual(child, b.children[i]!))
  )
}

/** A string equal for two trees exactly when they are structurally equal. */
export function structureKey(tree: Pick<EntryTree, 'originId' | 'children'>): string {
  return tree.children.length === 0 ? tree.originId : `${tree.originId}(${tree.children.map(structureKey).join(',')})`
}

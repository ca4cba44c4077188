// What changed between two informer lists of the same prefix: keys gone, keys new, objects replaced.
import type { ApiList } from '../api.ts';

type Item = ApiList['items'][number];

export interface ListChanges {
  removed(item: Item): void;
  added(item: Item): void;
  /** The same key with another object (the informer replaces an object when it changes). */
  replaced(before: Item, after: Item): void;
}

/**
 * Walk two lists in key order (an informer's lister hands them out sorted, and shares the objects
 * that did not change), telling what differs. An unchanged object is one identity check, so a list
 * of 10,000 where a few changed costs a walk, not a rebuild.
 */
export function diffLists(before: readonly Item[], after: readonly Item[], on: ListChanges): void {
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    const a = before[i]!;
    const b = after[j]!;
    if (a === b) {
      i++;
      j++;
    } else if (a.key === b.key) {
      on.replaced(a, b);
      i++;
      j++;
    } else if (a.key < b.key) {
      on.removed(a);
      i++;
    } else {
      on.added(b);
      j++;
    }
  }
  for (; i < before.length; i++) on.removed(before[i]!);
  for (; j < after.length; j++) on.added(after[j]!);
}

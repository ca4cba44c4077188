// A raw scenario with its faults replaced (a shrunk failure, a cut set): the tour goes with the faults it names.

/**
 * `raw` with `faults` in place of its own (same key position) and no `tour`: a tour's `fault:<i>` and `step:<i>`
 * anchors name the scenario's own schedule, which the new faults replace. `raw` itself is not changed.
 */
export function replaceFaults(raw: Readonly<Record<string, unknown>>, faults: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (key !== 'tour') out[key] = key === 'faults' ? faults : value;
  if (!('faults' in out)) out['faults'] = faults;
  return out;
}

// Dotted paths into plain data (--set, --vary, URL parameters, merges): own properties only, and no segment that
// would reach an object's prototype (`__proto__`, `constructor`, `prototype`). Browser-safe.

/** Segments refused in any path: writing through them would change the prototypes every object shares. */
export const FORBIDDEN_SEGMENTS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** A reason to refuse `segments`, or null when every segment is an ordinary field name. */
export function forbiddenSegment(segments: readonly string[]): string | null {
  const bad = segments.find((s) => FORBIDDEN_SEGMENTS.includes(s));
  return bad === undefined ? null : `"${bad}" is not a scenario field (paths may not name ${FORBIDDEN_SEGMENTS.join(', ')})`;
}

/** `obj[key]` when `key` is obj's own property (never an inherited one such as toString). */
export function ownValue(obj: object, key: string | number): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string | number, unknown>)[key] : undefined;
}

/** Whether `v` is plain data: null, a boolean, number, string, a list, or an object whose prototype is Object's or null. */
export function isPlainData(v: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return true;
  if (Array.isArray(v)) return v.every((x) => isPlainData(x, depth + 1));
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(v).every((k) => !FORBIDDEN_SEGMENTS.includes(k) && isPlainData((v as Record<string, unknown>)[k], depth + 1));
}

// The scenario library: every scenarios/*.yaml (and .json), bundled as text at build time.
/// <reference types="vite/client" />

const files = import.meta.glob<string>(['../../scenarios/*.yaml', '../../scenarios/*.yml', '../../scenarios/*.json'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Scenario name (file name without extension) → text, sorted by name. */
export const LIBRARY: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(files)
    .map(([path, text]) => [path.replace(/^.*\//, '').replace(/\.(ya?ml|json)$/, ''), text] as const)
    .sort(([a], [b]) => a.localeCompare(b)),
);

/** The scenario the page opens with: kill-etcd-leader when the library has it, else the first. */
export const DEFAULT_SCENARIO: string = 'kill-etcd-leader' in LIBRARY ? 'kill-etcd-leader' : Object.keys(LIBRARY)[0] ?? 'baseline';

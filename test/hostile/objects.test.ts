// Object paths from the command line, the URL and shard files: no prototype pollution, exit 2 with a message.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.ts';
import { parseScenarioText } from '../../src/scenario/parse.ts';
import { buildScenario, sourceOf } from '../../web/src/config.ts';
import { decodeHash } from '../../web/src/url.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';

const SCENARIO = 'name: o\nduration: 5s\ncluster: { topology: stacked, masters: 1, workers: 0 }\n';

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('--set and --vary paths', () => {
  for (const path of ['__proto__.toString', '__proto__.polluted', 'constructor.prototype.polluted', 'params.__proto__.x', 'cluster.constructor', 'faults.0.prototype']) {
    it(`--set ${path}=1 is refused and pollutes nothing`, () => {
      const msg = messageOf(() => parseScenarioText(SCENARIO, 'o.yaml', { sets: [`${path}=1`] }));
      expect(msg).toMatch(/^o\.yaml: --set ".*": "(__proto__|constructor|prototype)" is not a scenario field/);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(typeof Object.prototype.toString).toBe('function');
    });
  }

  it('an inherited name (toString) is an unknown field, not a function', () => {
    const msg = messageOf(() => parseScenarioText(SCENARIO, 'o.yaml', { sets: ['cluster.toString.x=1'] }));
    expect(msg).toContain('cluster.toString: unknown field');
  });

  it('the CLI exits 2 for --set and --vary through __proto__', async () => {
    const dir = tempDir();
    const file = write(dir, 'o.yaml', SCENARIO);
    const run = await hasim(['run', file, '--set', '__proto__.toString=1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"__proto__" is not a scenario field');
    const sweep = await hasim(['sweep', file, '--vary', '__proto__.x=1..2', '--runs', '1', '--workers', '1']);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toContain('"__proto__" is not a scenario field');
  });

  it('a sweep whose every point is invalid exits 2', async () => {
    const dir = tempDir();
    const file = write(dir, 'o.yaml', SCENARIO);
    const r = await hasim(['sweep', file, '--vary', 'cluster.mastres=1..3', '--runs', '1', '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('every point of the grid is an invalid scenario');
    expect(r.stderr).toContain('cluster.mastres: unknown field');
  });
});

describe('URL parameters in the web UI', () => {
  it('#set=__proto__.polluted=1 gives a message and pollutes nothing', () => {
    const { state } = decodeHash('#scenario=baseline&set=__proto__.polluted%3D1', 'baseline');
    const src = sourceOf(state.cfg, { baseline: SCENARIO });
    const msg = messageOf(() => buildScenario(src));
    expect(msg).toContain('"__proto__" is not a scenario field');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('#scenario=__proto__ is an unknown scenario', () => {
    const { state } = decodeHash('#scenario=__proto__', 'baseline');
    const msg = messageOf(() => sourceOf(state.cfg, { baseline: SCENARIO }));
    expect(msg).toBe('URL: scenario "__proto__" is not in scenarios/ (there are: baseline)');
  });
});

describe('duplicate keys', () => {
  it('JSON duplicate keys are an error, as in YAML', () => {
    const msg = messageOf(() => parseScenarioText('{"name": "t", "duration": "5s", "name": "u"}', 'x.json'));
    expect(msg).toBe('x.json: malformed JSON at line 1, column 33: duplicate key "name" (keys in a mapping must be unique)');
  });

  it('{name: t, name: u} in a .yaml file is a YAML duplicate key, not malformed JSON', () => {
    const msg = messageOf(() => parseScenarioText('{name: t, name: u, duration: 5s}\n', 'x.yaml'));
    expect(msg).toContain('x.yaml: malformed YAML');
    expect(msg).toContain('Map keys must be unique');
  });
});

describe('merge validates its shards', () => {
  async function shard(dir: string): Promise<string> {
    const file = write(dir, 'o.yaml', SCENARIO);
    const out = join(dir, 'shard.json');
    const r = await hasim(['compare', file, '--runs', '2', '--workers', '1', '--json', out, '--quiet']);
    expect(r.code).toBe(0);
    return out;
  }

  it('hand-edited shards are refused with exit 2, naming shard and field', async () => {
    const dir = tempDir();
    const path = await shard(dir);
    const good = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const records = good['records'] as unknown[];
    const cases: [string, (d: Record<string, unknown>) => void, string][] = [
      ['null record', (d) => { d['records'] = [null]; }, 'records[0]:'],
      ['empty record', (d) => { d['records'] = [{}]; }, 'records[0].variant:'],
      ['string value', (d) => { (d['records'] as { values: Record<string, unknown> }[])[0]!.values['availability.apiWrite'] = 'x'; }, 'records[0].values["availability.apiWrite"]:'],
      ['duplicated records', (d) => { d['records'] = Array.from({ length: 3000 }, () => records).flat(); }, 'a second record for'],
      ['seed beyond runs', (d) => { d['seeds'] = [1, 2, 3]; }, 'seeds[2]: seed 3 is beyond the declared runs (2)'],
      ['seed twice', (d) => { d['seeds'] = [1, 1]; }, 'seeds[1]: seed 1 is listed twice'],
      ['unknown field', (d) => { d['extra'] = 1; }, 'extra'],
    ];
    for (const [title, edit, expected] of cases) {
      const d = structuredClone(good);
      edit(d);
      const bad = join(dir, `${title.replace(/ /g, '-')}.json`);
      writeFileSync(bad, JSON.stringify(d));
      const r = await hasim(['merge', bad, '--json', join(dir, 'merged.json')]);
      expect(r.code, title).toBe(2);
      expect(r.stderr, title).toContain(`hasim merge: ${bad}: `);
      expect(r.stderr, title).toContain(expected);
      expect(r.stderr, title).not.toMatch(/\n\s+at /);
    }
    const ok = await hasim(['merge', path, '--quiet']);
    expect(ok.code).toBe(0);
  });
});

// The JSON Schema of scenario files describes the YAML (input) form.
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/jsonschema.ts';

type Node = { [k: string]: unknown; properties?: Record<string, Node>; items?: Node };

describe('scenarioJsonSchema', () => {
  const schema = scenarioJsonSchema() as Node;
  const props = schema.properties!;
  it('is an object schema with the scenario sections', () => {
    expect(schema.type).toBe('object');
    expect(Object.keys(props)).toEqual(['name', 'description', 'duration', 'seed', 'seeds', 'fastForward', 'measure', 'cluster', 'params', 'faults', 'expect', 'tour', 'load']);
    expect(schema.required).toEqual(['name', 'duration']);
    expect(schema.additionalProperties).toBe(false);
  });
  it('durations are strings with a pattern and string defaults', () => {
    expect(props.duration).toMatchObject({ type: 'string' });
    const pattern = new RegExp(props.duration!.pattern as string);
    for (const ok of ['250us', '100ms', '15s', '2m', '1h', '30d', '1m30s', '1.5s']) expect(pattern.test(ok)).toBe(true);
    for (const bad of ['30', 'soon', '-5s', '5 s']) expect(pattern.test(bad)).toBe(false);
    const lease = props.params!.properties!.leaderElection!.properties!.leaseDuration!;
    expect(lease).toMatchObject({ type: 'string', default: '15s' });
  });
  it('faults: one verb per item, each verb described', () => {
    const item = props.faults!.items!;
    expect(Object.keys(item.properties!)).toEqual(expect.arrayContaining(['at', 'for', 'scope', 'kill', 'partition', 'latency', 'random']));
    expect(item.oneOf).toContainEqual({ required: ['kill', 'at'] });
    expect(item.oneOf).toContainEqual({ required: ['random'] });
    expect(item.properties!.clock!.properties!.offset!.pattern).toMatch(/^\^-\?/);
  });
  it('cluster enums, including the input-only apiserverEtcd "default"', () => {
    const cluster = props.cluster!.properties!;
    expect(cluster.topology).toMatchObject({ enum: ['stacked', 'external'], default: 'stacked' });
    expect(cluster.apiserverEtcd!.enum).toContain('default');
  });
  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

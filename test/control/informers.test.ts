// The informer's lister: key order kept across value-only changes, items shared with the store, rebuilt only after a change.
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/actor.ts';
import type { HttpCallback, HttpClient, HttpResponse } from '../../src/net/http.ts';
import type { ApiList, WatchChunk } from '../../src/control/api.ts';
import { Informers } from '../../src/control/informers.ts';

const PREFIX = '/registry/leases/kube-node-lease/';

/** An HTTP client that keeps each request's callbacks for the test to answer by hand. */
function fakeHttp(): { http: HttpClient; listed: HttpCallback[]; chunks: HttpCallback[] } {
  const listed: HttpCallback[] = [];
  const chunks: HttpCallback[] = [];
  const http = {
    request: (_to: string, _req: unknown, _t: number, cb: HttpCallback) => (listed.push(cb), listed.length),
    stream: (_to: string, _req: unknown, _t: number, chunk: HttpCallback) => (chunks.push(chunk), 100 + chunks.length),
    abort: () => {},
  } as unknown as HttpClient;
  return { http, listed, chunks };
}

const ctx = { now: () => 0, random: { float: () => 0.5 }, setTimer: () => {} } as unknown as Ctx;
const ok = (body: unknown): HttpResponse => ({ status: 200, body } as HttpResponse);
const item = (node: string, rv: number) => ({ key: `${PREFIX}${node}`, value: { renewTime: rv }, resourceVersion: rv });

describe('Informers.list', () => {
  it('keeps key order across renewals, shares the store items, and rebuilds its answer only after a change', () => {
    const { http, listed, chunks } = fakeHttp();
    const inf = new Informers(ctx, http, 'vip', 1_000_000);
    expect(inf.list(PREFIX)).toBeNull();
    listed[0]!(ok({ items: [item('w-2', 5), item('w-1', 4)], resourceVersion: 5 } satisfies ApiList));
    const first = inf.list(PREFIX)!;
    expect(first.items.map((i) => i.key)).toEqual([`${PREFIX}w-1`, `${PREFIX}w-2`]);
    // No change: the same answer object (controllers compare lists by identity to skip idle passes).
    expect(inf.list(PREFIX)).toBe(first);
    const watch = (events: WatchChunk['events']): void => chunks[0]!(ok({ events } as WatchChunk));
    watch([{ key: `${PREFIX}w-1`, value: { renewTime: 6 }, resourceVersion: 6, deleted: false }]);
    const renewed = inf.list(PREFIX)!;
    expect(renewed).not.toBe(first);
    expect(renewed.items.map((i) => [i.key, i.resourceVersion])).toEqual([[`${PREFIX}w-1`, 6], [`${PREFIX}w-2`, 5]]);
    // The items are the store's own (replaced on change, never copied per list): renewing w-2 leaves w-1's item as it was.
    watch([{ key: `${PREFIX}w-2`, value: { renewTime: 7 }, resourceVersion: 7, deleted: false }]);
    const again = inf.list(PREFIX)!;
    expect(again).not.toBe(renewed);
    expect(again.items[0]).toBe(renewed.items[0]);
    // New and deleted keys move the order.
    watch([{ key: `${PREFIX}w-0`, value: { renewTime: 8 }, resourceVersion: 8, deleted: false }, { key: `${PREFIX}w-2`, value: null, deleted: true, resourceVersion: 9 }]);
    expect(inf.list(PREFIX)!.items.map((i) => i.key)).toEqual([`${PREFIX}w-0`, `${PREFIX}w-1`]);
    expect(inf.list(PREFIX)!.resourceVersion).toBe(9);
  });

  it('moves keys that come and go into place without sorting the store again, and matches a full sort', () => {
    const { http, listed, chunks } = fakeHttp();
    const inf = new Informers(ctx, http, 'vip', 1_000_000);
    inf.list(PREFIX);
    const names = Array.from({ length: 200 }, (_, i) => `w-${(i * 7919) % 1000}`);
    listed[0]!(ok({ items: names.map((n, i) => item(n, i + 1)), resourceVersion: 200 } satisfies ApiList));
    inf.list(PREFIX);
    const watch = (events: WatchChunk['events']): void => chunks[0]!(ok({ events } as WatchChunk));
    const sort = Array.prototype.sort;
    let sorts = 0;
    Array.prototype.sort = function (this: unknown[], ...args: Parameters<typeof sort>) {
      sorts++;
      return sort.apply(this, args);
    } as typeof sort;
    try {
      let rv = 200;
      for (let round = 0; round < 20; round++) {
        const gone = names[(round * 13) % names.length]!;
        watch([
          { key: `${PREFIX}${gone}`, value: null, deleted: true, resourceVersion: ++rv },
          { key: `${PREFIX}x-${round}`, value: { renewTime: rv }, resourceVersion: ++rv, deleted: false },
          // A key added and deleted between two lists.
          { key: `${PREFIX}y-${round}`, value: { renewTime: rv }, resourceVersion: ++rv, deleted: false },
          { key: `${PREFIX}y-${round}`, value: null, deleted: true, resourceVersion: ++rv },
        ]);
        const keys = inf.list(PREFIX)!.items.map((i) => i.key);
        expect(keys).toEqual(sort.call([...keys]));
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).toContain(`${PREFIX}x-${round}`);
        expect(keys).not.toContain(`${PREFIX}${gone}`);
      }
    } finally {
      Array.prototype.sort = sort;
    }
    expect(sorts).toBe(0);
  });
});

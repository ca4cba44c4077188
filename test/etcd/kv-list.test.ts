// KvStore listing: sorted answers, and the answer kept per directory is dropped by every write under it.
import { describe, expect, it } from 'vitest';
import { KvStore } from '../../src/etcd/kv.ts';

const list = (kv: KvStore, prefix: string) => kv.read({ kind: 'list', prefix }).kvs!;
const view = (kv: KvStore, prefix: string) => list(kv, prefix).map(([k, v]) => [k, v.value]);

describe('KvStore list', () => {
  it('answers sorted, and sees every put, new key and delete under the directory', () => {
    const kv = new KvStore();
    kv.apply({ kind: 'put', key: '/p/b', value: 1 });
    kv.apply({ kind: 'put', key: '/p/a', value: 2 });
    expect(view(kv, '/p/')).toEqual([['/p/a', 2], ['/p/b', 1]]);
    kv.apply({ kind: 'put', key: '/p/b', value: 3 });
    expect(view(kv, '/p/')).toEqual([['/p/a', 2], ['/p/b', 3]]);
    kv.apply({ kind: 'cas', key: '/p/aa', value: 4, expect: 0 });
    expect(view(kv, '/p/')).toEqual([['/p/a', 2], ['/p/aa', 4], ['/p/b', 3]]);
    kv.apply({ kind: 'delete', key: '/p/a' });
    expect(view(kv, '/p/')).toEqual([['/p/aa', 4], ['/p/b', 3]]);
    expect(view(kv, '/')).toEqual([['/p/aa', 4], ['/p/b', 3]]);
  });

  it('gives an unchanged directory the same answer, and a write elsewhere does not change it', () => {
    const kv = new KvStore();
    kv.apply({ kind: 'put', key: '/p/a', value: 1 });
    kv.apply({ kind: 'put', key: '/q/a', value: 1 });
    const first = list(kv, '/p/');
    kv.apply({ kind: 'put', key: '/q/a', value: 2 });
    expect(list(kv, '/p/')).toBe(first);
    kv.apply({ kind: 'put', key: '/p/a', value: 2 });
    expect(list(kv, '/p/')).not.toBe(first);
    expect(kv.read({ kind: 'list', prefix: '/p/' }).revision).toBe(4);
  });
});

// etcd's revisioned key-value store: the state machine raft replicates (mvcc without history).

export interface KeyValue {
  value: unknown;
  createRevision: number;
  modRevision: number;
  version: number;
}

/** An operation carried in a raft entry or served as a read. */
export type KvOp =
  | { kind: 'get'; key: string }
  | { kind: 'list'; prefix: string }
  | { kind: 'put'; key: string; value: unknown }
  /** Txn: compare mod_revision(key) == expect (0: the key must not exist), then put. */
  | { kind: 'cas'; key: string; value: unknown; expect: number }
  | { kind: 'delete'; key: string; expect?: number };

export interface KvResult {
  /** False when a compare failed (the apiserver's optimistic-concurrency conflict). */
  succeeded: boolean;
  revision: number;
  kv?: KeyValue | null;
  /** Shared between reads of an unchanged directory: readers must not modify it. */
  kvs?: readonly [string, KeyValue][];
}

/** A snapshot as raft carries it: immutable once taken. */
export interface KvSnapshot {
  revision: number;
  data: ReadonlyMap<string, KeyValue>;
}

/** Every "directory" a key lies under (`/a/b/c` → `/`, `/a/`, `/a/b/`). */
function dirsOf(key: string): string[] {
  const out: string[] = [];
  for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) out.push(key.slice(0, i + 1));
  return out;
}

export class KvStore {
  revision = 0;
  private data: Map<string, KeyValue>;
  /** Keys under each directory prefix, so listing a directory does not scan the whole store. */
  private readonly dirs = new Map<string, Set<string>>();
  /**
   * Each directory's keys in sorted order, made when first listed and dropped when a key joins or
   * leaves it: a list (every controller's and kubelet's poll) then copies instead of sorting.
   */
  private readonly sortedDirs = new Map<string, readonly string[]>();
  /**
   * The last answer to listing each directory, until a write lands in it: most polls of a
   * directory (a kubelet's, a controller's) find it unchanged and get the same answer object.
   */
  private readonly listed = new Map<string, readonly [string, KeyValue][]>();

  constructor(snapshot?: KvSnapshot | null) {
    this.revision = snapshot?.revision ?? 0;
    this.data = new Map(snapshot?.data ?? []);
    for (const key of this.data.keys()) this.index(key);
  }

  private index(key: string): void {
    for (const dir of dirsOf(key)) {
      let set = this.dirs.get(dir);
      if (!set) this.dirs.set(dir, (set = new Set()));
      set.add(key);
      this.sortedDirs.delete(dir);
    }
  }

  get size(): number {
    return this.data.size;
  }

  read(op: KvOp): KvResult {
    if (op.kind === 'list') {
      if (op.prefix.endsWith('/')) {
        let kvs = this.listed.get(op.prefix);
        if (kvs === undefined) {
          const keys = this.sortedKeys(op.prefix);
          const fresh = new Array<[string, KeyValue]>(keys.length);
          for (let i = 0; i < keys.length; i++) fresh[i] = [keys[i]!, this.data.get(keys[i]!)!];
          this.listed.set(op.prefix, (kvs = fresh));
        }
        return { succeeded: true, revision: this.revision, kvs };
      }
      const kvs: [string, KeyValue][] = [];
      for (const [k, v] of this.data) if (k.startsWith(op.prefix)) kvs.push([k, v]);
      kvs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      return { succeeded: true, revision: this.revision, kvs };
    }
    if (op.kind !== 'get') throw new Error(`not a read: ${op.kind}`);
    return { succeeded: true, revision: this.revision, kv: this.data.get(op.key) ?? null };
  }

  /** A write to `key` changes the listing of every directory it lies under. */
  private wrote(key: string): void {
    if (this.listed.size === 0) return;
    for (const dir of this.listed.keys()) if (key.startsWith(dir)) this.listed.delete(dir);
  }

  private sortedKeys(dir: string): readonly string[] {
    let keys = this.sortedDirs.get(dir);
    if (keys === undefined) {
      keys = [...(this.dirs.get(dir) ?? [])].sort((a, b) => (a < b ? -1 : 1));
      this.sortedDirs.set(dir, keys);
    }
    return keys;
  }

  /** Apply a write (every member applies the same entries in the same order). */
  apply(op: KvOp): KvResult {
    switch (op.kind) {
      case 'get':
      case 'list':
        return this.read(op);
      case 'put':
        return this.put(op.key, op.value);
      case 'cas': {
        const cur = this.data.get(op.key);
        if ((cur?.modRevision ?? 0) !== op.expect) return { succeeded: false, revision: this.revision, kv: cur ?? null };
        return this.put(op.key, op.value);
      }
      case 'delete': {
        const cur = this.data.get(op.key);
        if (!cur || (op.expect !== undefined && cur.modRevision !== op.expect)) {
          return { succeeded: false, revision: this.revision, kv: cur ?? null };
        }
        this.revision++;
        this.data.delete(op.key);
        this.wrote(op.key);
        for (const dir of dirsOf(op.key)) {
          this.dirs.get(dir)?.delete(op.key);
          this.sortedDirs.delete(dir);
        }
        return { succeeded: true, revision: this.revision, kv: null };
      }
    }
  }

  private put(key: string, value: unknown): KvResult {
    const cur = this.data.get(key);
    this.revision++;
    const kv: KeyValue = {
      value,
      createRevision: cur?.createRevision ?? this.revision,
      modRevision: this.revision,
      version: (cur?.version ?? 0) + 1,
    };
    if (!cur) this.index(key);
    this.data.set(key, kv);
    this.wrote(key);
    return { succeeded: true, revision: this.revision, kv };
  }

  snapshot(): KvSnapshot {
    return { revision: this.revision, data: new Map(this.data) };
  }

  /** A digest of the whole state (the checker compares members at equal applied indexes). */
  digest(): string {
    const keys = [...this.data.keys()].sort();
    let h = this.revision;
    for (const k of keys) {
      const v = this.data.get(k)!;
      for (let i = 0; i < k.length; i++) h = (Math.imul(h ^ k.charCodeAt(i), 0x01000193) >>> 0);
      h = (Math.imul(h ^ v.modRevision, 0x85ebca6b) >>> 0);
    }
    return `${this.revision}:${h.toString(16)}`;
  }
}

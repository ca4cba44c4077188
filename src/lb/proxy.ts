// haproxy `mode tcp` proxying: client connections pinned to a backend, connect retries, server timeout.
import type { Ctx, Msg } from '../kernel/actor.ts';
import { TCP_SYN } from '../kernel/sim.ts';
import type { EtcdResponse } from '../etcd/requests.ts';
import type { HttpResponse } from '../net/http.ts';
import { chooseBackend } from '../load/balance.ts';
import { turnAroundUs, type HaproxyConfig } from './config.ts';
import type { ServerStates } from './checks.ts';

/** A request as the proxy sees it: opaque payload with an id (and optionally the client's connection). */
type Request = Msg & { readonly id: number; readonly conn?: string };
type Protocol = 'http' | 'etcd';

interface Conn {
  readonly key: string;
  readonly client: string;
  /** One timer per connection: connect deadline, retry turn-around, then the inactivity timeout. */
  readonly timer: string;
  backend: number;
  state: 'connecting' | 'turnaround' | 'open';
  /** Id of the handshake in flight (0: none). */
  synId: number;
  retriesLeft: number;
  /** Requests that arrived before the backend connection was established. */
  queue: Request[];
  /** Forwarded request ids awaiting a response. */
  readonly inFlight: Set<number>;
  /** Local time of the last traffic on the server side (haproxy refreshes `timeout server` on reads and writes). */
  lastActivity: number;
  /** The server sent GOAWAY (apiserver --goaway-chance): the connection closes once its requests are answered. */
  goaway?: boolean;
}

interface Forwarded {
  conn: Conn;
  clientId: number;
  protocol: Protocol;
}

const TIMER_PREFIX = 'conn:';

function protocolOf(type: string): Protocol | null {
  if (type === 'http.req' || type === 'http.resp') return 'http';
  if (type === 'etcd.req' || type === 'etcd.resp') return 'etcd';
  return null;
}

export class TcpProxy {
  private readonly conns = new Map<string, Conn>();
  private readonly bySyn = new Map<number, Conn>();
  private readonly forwarded = new Map<number, Forwarded>();
  /** Round-robin position: the next server to consider for a new connection. */
  private rr = 0;
  /** This haproxy incarnation, stamped on what it relays (HttpResponse.endpoint): a client's connections live here. */
  endpoint = '';

  constructor(
    private readonly cfg: HaproxyConfig,
    private readonly servers: ServerStates,
    private readonly nextId: () => number,
  ) {}

  /** Open client connections and forwarded requests awaiting a response (bounded-state checks). */
  get openConnections(): number {
    return this.conns.size;
  }

  get pendingRequests(): number {
    return this.forwarded.size;
  }

  /** The backend a client connection is pinned to, if it is open or opening. */
  backendOf(client: string, conn?: string): string | undefined {
    const c = this.conns.get(connKey(client, conn));
    return c && this.cfg.backends[c.backend];
  }

  request(ctx: Ctx, from: string, msg: Msg): void {
    const req = msg as Request;
    const key = connKey(from, req.conn);
    const c = this.conns.get(key);
    if (c === undefined) {
      this.accept(ctx, key, from, req);
      return;
    }
    if (c.state === 'open') this.forward(ctx, c, req);
    else c.queue.push(req);
  }

  /** A new client connection: the next UP server in round-robin order, or 503 at once. */
  private accept(ctx: Ctx, key: string, client: string, req: Request): void {
    const b = this.cfg.balance === 'leastconn' ? this.pickLeastconn() : this.pick(-1);
    if (b < 0) {
      replyError(ctx, client, protocolOf(req.type) ?? 'http', req.id, 503, 'haproxy: no server available');
      return;
    }
    const c: Conn = {
      key, client, timer: `${TIMER_PREFIX}${key}`, backend: b, state: 'connecting', synId: 0,
      retriesLeft: this.cfg.retries, queue: [req], inFlight: new Set(), lastActivity: ctx.now(),
    };
    this.conns.set(key, c);
    this.connect(ctx, c, b);
  }

  /** Next UP server from the round-robin position, skipping `exclude`; -1 when there is none. */
  private pick(exclude: number): number {
    const n = this.servers.count;
    for (let k = 0; k < n; k++) {
      const i = (this.rr + k) % n;
      if (i !== exclude && this.servers.isUp(i)) {
        this.rr = (i + 1) % n;
        return i;
      }
    }
    return -1;
  }

  /** `balance leastconn` (load/balance.ts chooseBackend): the UP server with the fewest connections. */
  private pickLeastconn(): number {
    const connections = this.cfg.backends.map(() => 0);
    for (const c of this.conns.values()) connections[c.backend]!++;
    const backends = this.cfg.backends.map((name, i) => ({ name, up: this.servers.isUp(i), connections: connections[i]! }));
    const choice = chooseBackend('leastconn', backends, { lastIndex: this.rr - 1 });
    if (choice === null) return -1;
    this.rr = (choice.index + 1) % backends.length;
    return choice.index;
  }

  private connect(ctx: Ctx, c: Conn, backend: number): void {
    c.backend = backend;
    c.state = 'connecting';
    c.synId = this.nextId();
    this.bySyn.set(c.synId, c);
    ctx.send(this.cfg.backends[backend]!, { type: TCP_SYN, id: c.synId });
    ctx.setTimer(c.timer, this.cfg.timeoutConnectUs, c.synId);
  }

  onSynack(ctx: Ctx, id: number): boolean {
    const c = this.bySyn.get(id);
    if (c === undefined) return false;
    this.bySyn.delete(id);
    c.synId = 0;
    c.state = 'open';
    this.touch(ctx, c);
    ctx.setTimer(c.timer, this.cfg.timeoutServerUs, undefined, { routine: true }); // an idle timeout: routine, not a pending consequence
    const queued = c.queue;
    c.queue = [];
    for (const req of queued) this.forward(ctx, c, req);
    return true;
  }

  /**
   * haproxy stream.c: a failed connection is retried `retries` times; with `option redispatch`
   * the last retry goes to another server (no turn-around wait); a retry on the same server after
   * a connection error waits min(timeout connect, 1 s) first. No retries left: 503.
   */
  private connectFailed(ctx: Ctx, c: Conn, why: 'refused' | 'timeout'): void {
    const server = this.cfg.backends[c.backend]!;
    this.bySyn.delete(c.synId);
    c.synId = 0;
    if (c.retriesLeft <= 0) {
      this.close(ctx, c, 503, `haproxy: cannot connect to ${server} (${why === 'refused' ? 'connection refused' : 'connect timeout'})`);
      return;
    }
    c.retriesLeft--;
    if (this.cfg.redispatch && c.retriesLeft === 0) {
      const other = this.pick(c.backend);
      if (other >= 0) {
        this.connect(ctx, c, other);
        return;
      }
    }
    if (why === 'timeout') {
      this.connect(ctx, c, c.backend);
      return;
    }
    c.state = 'turnaround';
    ctx.setTimer(c.timer, turnAroundUs(this.cfg));
  }

  private forward(ctx: Ctx, c: Conn, req: Request): void {
    const id = this.nextId();
    this.forwarded.set(id, { conn: c, clientId: req.id, protocol: protocolOf(req.type) ?? 'http' });
    c.inFlight.add(id);
    this.touch(ctx, c);
    ctx.send(this.cfg.backends[c.backend]!, { ...req, id });
  }

  /** A backend's answer goes back to the client under the client's id. */
  onResponse(ctx: Ctx, msg: Msg): boolean {
    const id = msg['id'] as number;
    const f = this.forwarded.get(id);
    if (f === undefined) return false;
    // A chunk of a streamed answer (a watch event) leaves the request open on its connection.
    if (msg['more'] !== true) {
      this.forwarded.delete(id);
      f.conn.inFlight.delete(id);
    }
    this.touch(ctx, f.conn);
    ctx.send(f.conn.client, { ...msg, id: f.clientId, endpoint: this.endpoint });
    // GOAWAY: the apiserver closes the TCP connection once its streams are done (x/net/http2 startGracefulShutdown).
    if (msg['goaway'] === true) f.conn.goaway = true;
    if (f.conn.goaway && f.conn.inFlight.size === 0) this.close(ctx, f.conn, 502, 'connection closed after GOAWAY');
    return true;
  }

  onRefused(ctx: Ctx, msg: Msg): boolean {
    const id = msg['id'] as number;
    if (msg.type === TCP_SYN) {
      const c = this.bySyn.get(id);
      if (c === undefined) return false;
      this.connectFailed(ctx, c, 'refused');
      return true;
    }
    const f = this.forwarded.get(id);
    if (f !== undefined) {
      // The backend process is gone: its host resets the established connection.
      this.close(ctx, f.conn, 502, `haproxy: connection to ${this.cfg.backends[f.conn.backend]} reset`);
      return true;
    }
    // A reply to a client that has gone away: nothing to do.
    return msg.type === 'http.resp' || msg.type === 'etcd.resp';
  }

  timer(ctx: Ctx, name: string, data: unknown): boolean {
    if (!name.startsWith(TIMER_PREFIX)) return false;
    const c = this.conns.get(name.slice(TIMER_PREFIX.length));
    if (c === undefined) return true;
    if (c.state === 'connecting') {
      if (data === c.synId) this.connectFailed(ctx, c, 'timeout');
    } else if (c.state === 'turnaround') {
      this.connect(ctx, c, c.backend);
    } else {
      this.idleCheck(ctx, c);
    }
    return true;
  }

  /**
   * `timeout server` is an inactivity timeout. The timer is re-armed lazily (not on every packet):
   * when it fires early it is pushed to lastActivity + timeout. An idle connection is simply
   * closed (the client reconnects on its next request); one with requests outstanding answers 504.
   */
  private idleCheck(ctx: Ctx, c: Conn): void {
    const idle = ctx.now() - c.lastActivity;
    if (idle < this.cfg.timeoutServerUs) {
      ctx.setTimer(c.timer, this.cfg.timeoutServerUs - idle, undefined, { routine: true });
      return;
    }
    this.close(ctx, c, 504, 'haproxy: timeout server');
  }

  private touch(ctx: Ctx, c: Conn): void {
    c.lastActivity = ctx.now();
  }

  /** Drop a connection; every request still on it gets `status`. */
  private close(ctx: Ctx, c: Conn, status: number, error: string): void {
    this.conns.delete(c.key);
    ctx.cancelTimer(c.timer);
    if (c.synId !== 0) this.bySyn.delete(c.synId);
    for (const id of c.inFlight) {
      const f = this.forwarded.get(id)!;
      this.forwarded.delete(id);
      replyError(ctx, c.client, f.protocol, f.clientId, status, error);
    }
    for (const req of c.queue) replyError(ctx, c.client, protocolOf(req.type) ?? 'http', req.id, status, error);
  }
}

function connKey(client: string, conn: string | undefined): string {
  return conn === undefined ? client : `${client}#${conn}`;
}

/** What a client sees when haproxy gives up on its request (SPEC: 503 / 502 / 504). */
function replyError(ctx: Ctx, to: string, protocol: Protocol, id: number, status: number, error: string): void {
  if (protocol === 'etcd') {
    ctx.send(to, { type: 'etcd.resp', id, ok: false, error } satisfies EtcdResponse);
  } else {
    ctx.send(to, { type: 'http.resp', id, status, error } satisfies HttpResponse);
  }
}

// HTTP-like request/response over the simulated network, and a client with per-request deadlines.
import type { Ctx, Msg } from '../kernel/actor.ts';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export type HttpRequest = {
  type: 'http.req';
  id: number;
  method: HttpMethod;
  path: string;
  body?: unknown;
  /**
   * The client's connection: a load balancer in TCP mode keeps every request of one connection on
   * the backend it chose when the connection opened (established connections survive a DOWN mark).
   */
  conn?: string;
  /** The client's own deadline: client-go sends its timeout as `?timeout=`, the apiserver's request deadline. */
  timeoutUs?: number;
};

export type HttpResponse = {
  type: 'http.resp';
  id: number;
  /** 0: no HTTP answer at all (connection refused, reset, or the client's deadline). */
  status: number;
  body?: unknown;
  error?: string;
  /** A chunk of a streamed response (a watch event): the request stays open for more. */
  more?: true;
  /**
   * Which process incarnation holds the client's TCP connection, when it is not the server (a load
   * balancer in TCP mode stamps what it relays). Another one answering on the same connection means
   * the connection the client had is gone (see HttpClient.onEndpoint).
   */
  endpoint?: string;
  /** The answering server's start count (Ctx.life): likewise, a restarted server holds none of the old connections. */
  serverLife?: number;
};

export type HttpCallback = (resp: HttpResponse) => void;

interface Outstanding {
  to: string;
  cb: HttpCallback;
  /** Its deadline timer's name, kept so completing it does not build (and hash) the name again. */
  timer: string;
  /** A streamed request (a watch): chunks go here, the final response to `cb`. */
  chunk?: HttpCallback;
  conn?: string;
  /** A stream: the endpoint and server life of its first answer (who held its TCP connection). */
  endpoint?: string;
  serverLife?: number;
}

/**
 * Client side of HTTP for an actor: numbers requests, arms one deadline timer per request, and
 * turns refusals and deadlines into status-0 responses. The owning actor forwards its messages,
 * timers and refusals here first (each method returns true when it consumed the input).
 */
export class HttpClient {
  private readonly outstanding = new Map<number, Outstanding>();
  /** Per destination, per connection ('' without one): who last answered on it (see onEndpoint). */
  private readonly endpoints = new Map<string, Map<string, { endpoint: string | undefined; serverLife: number }>>();

  constructor(private readonly ctx: Ctx, private readonly timerPrefix = 'http:') {}

  /**
   * The next request id of this process, from a counter that survives restarts (ctx.durable) and is
   * shared by every client of the process: an answer or a watch chunk meant for a request of an
   * earlier incarnation (still in flight when the process restarted) never matches a new request.
   */
  private nextId(): number {
    const id = ((this.ctx.durable['httpSeq'] as number | undefined) ?? 0) + 1;
    this.ctx.durable['httpSeq'] = id;
    return id;
  }

  request(to: string, req: Omit<HttpRequest, 'type' | 'id'>, timeoutUs: number, cb: HttpCallback): number {
    const id = this.nextId();
    const timer = `${this.timerPrefix}${id}`;
    const o: Outstanding = { to, cb, timer };
    if (req.conn !== undefined) o.conn = req.conn;
    this.outstanding.set(id, o);
    this.ctx.setTimer(timer, timeoutUs, id);
    this.ctx.send(to, { type: 'http.req', id, ...req, timeoutUs } satisfies HttpRequest);
    return id;
  }

  /**
   * A long-lived request whose answer comes in chunks (a watch). Its deadline is routine for
   * fast-forward: a watch waiting for events is the steady state, not a pending consequence.
   */
  stream(to: string, req: Omit<HttpRequest, 'type' | 'id'>, timeoutUs: number, chunk: HttpCallback, end: HttpCallback): number {
    const id = this.nextId();
    const timer = `${this.timerPrefix}${id}`;
    const o: Outstanding = { to, cb: end, chunk, timer };
    if (req.conn !== undefined) o.conn = req.conn;
    this.outstanding.set(id, o);
    this.ctx.setTimer(timer, timeoutUs, id, { routine: true });
    this.ctx.send(to, { type: 'http.req', id, ...req, timeoutUs } satisfies HttpRequest);
    return id;
  }

  /** The client closes a request (its connection): the callback hears `error`. */
  abort(id: number, error: string): void {
    if (this.outstanding.has(id)) this.complete(id, { type: 'http.resp', id, status: 0, error });
  }

  get inFlight(): number {
    return this.outstanding.size;
  }

  /** Give up on every outstanding request (e.g. the process is shutting down). */
  abandon(): void {
    for (const id of [...this.outstanding.keys()]) this.complete(id, { type: 'http.resp', id, status: 0, error: 'abandoned' });
  }

  onMessage(msg: Msg): boolean {
    if (msg.type !== 'http.resp') return false;
    const resp = msg as unknown as HttpResponse;
    const o = this.outstanding.get(resp.id);
    if (o !== undefined && resp.serverLife !== undefined) this.onEndpoint(o, resp.endpoint, resp.serverLife);
    // A chunk is never the answer to a plain request (it can only be a stream of a previous incarnation).
    if (resp.more === true) o?.chunk?.(resp);
    else if (o) this.complete(resp.id, resp);
    return true;
  }

  onTimer(name: string, data: unknown): boolean {
    if (!name.startsWith(this.timerPrefix)) return false;
    const id = data as number;
    if (this.outstanding.has(id)) this.complete(id, { type: 'http.resp', id, status: 0, error: 'client timeout' });
    return true;
  }

  onRefused(msg: Msg): boolean {
    if (msg.type !== 'http.req') return false;
    const req = msg as unknown as HttpRequest;
    const o = this.outstanding.get(req.id);
    if (o) this.complete(req.id, { type: 'http.resp', id: req.id, status: 0, error: 'connection refused' });
    // Nothing listens at the peer any more: a stream open on the same connection was reset with it.
    if (o) {
      for (const [id, s] of [...this.outstanding]) {
        if (s.chunk && s.to === o.to && s.conn === req.conn) this.complete(id, { type: 'http.resp', id, status: 0, error: 'connection reset' });
      }
    }
    return true;
  }

  /**
   * An answer on one of the client's connections came from `serverLife` through `endpoint`. If another
   * load balancer or an earlier life of the server held that connection before (the VIP moved, the LB
   * or the server's machine restarted), the TCP connection the client had is gone: its next segment
   * meets a RST, and x/net/http2 fails every stream of a dead connection. So streams opened on the
   * old one end with 'connection reset' (their owner watches again). Without this, a watch whose load
   * balancer or apiserver machine went down waited out its own deadline (5–10 min) while the
   * kubelet's lease renewals on the same connection went through the new one, and fast-forward
   * (a stream's deadline is routine) stretched that wait over its jumps. Simplification: the request
   * that met the RST is answered by the new holder (upstream it fails and its retry reconnects).
   */
  private onEndpoint(o: Outstanding, endpoint: string | undefined, serverLife: number): void {
    if (o.chunk !== undefined && o.serverLife === undefined) {
      o.serverLife = serverLife;
      if (endpoint !== undefined) o.endpoint = endpoint;
    }
    let byConn = this.endpoints.get(o.to);
    if (byConn === undefined) this.endpoints.set(o.to, (byConn = new Map()));
    const conn = o.conn ?? '';
    const before = byConn.get(conn);
    if (before !== undefined && before.endpoint === endpoint && before.serverLife === serverLife) return;
    byConn.set(conn, { endpoint, serverLife });
    if (before === undefined) return;
    for (const [id, s] of [...this.outstanding]) {
      if (s === o || s.chunk === undefined || s.serverLife === undefined || s.to !== o.to || s.conn !== o.conn) continue;
      if (s.endpoint !== endpoint || s.serverLife !== serverLife) this.complete(id, { type: 'http.resp', id, status: 0, error: 'connection reset' });
    }
  }

  private complete(id: number, resp: HttpResponse): void {
    const o = this.outstanding.get(id)!;
    this.outstanding.delete(id);
    this.ctx.cancelTimer(o.timer);
    o.cb(resp);
  }
}

/** Reply to a request (servers). */
export function respond(ctx: Ctx, to: string, req: HttpRequest, status: number, body?: unknown, error?: string, more?: true): void {
  const resp: HttpResponse = { type: 'http.resp', id: req.id, status, serverLife: ctx.life };
  if (more) resp.more = true;
  if (body !== undefined) resp.body = body;
  if (error !== undefined) resp.error = error;
  ctx.send(to, resp);
}

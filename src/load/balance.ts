// Which apiserver gets a new connection (haproxy `balance`) and when an apiserver sends GOAWAY (--goaway-chance).
//
// haproxy (doc/configuration.txt, `balance`): `roundrobin` uses each server in turn according to
// its weight (the default algorithm); `leastconn` gives the connection to the server with the
// fewest connections, round-robin within servers of the same load, and is the one the manual
// recommends for long sessions. Only servers that are UP take new connections. In `mode tcp` the
// choice is made once per connection, so a client's long-lived HTTP/2 connection stays on its
// backend for every request it carries. Server weights are all equal here (haproxy's default
// weight); weighted rotation (lb_fwrr.c) and slow-start are not modelled.
//
// kube-apiserver (kubernetes/apiserver v0.32.0 pkg/server/filters/goaway.go WithProbabilisticGoaway):
// for each request whose protocol is HTTP/2.0, draw U[0,1) and if it is below the chance set
// `Connection: close` on the response; the request itself is still served. Go's HTTP/2 server
// (x/net/http2 server.go writeChunk) turns that header into startGracefulShutdown: a GOAWAY, the
// streams already open (watches included) run on, the connection closes when idle, and the client
// sends its next requests on a new connection, which the load balancer places afresh. The filter is
// only installed when the chance is above 0 and HTTP/2 is enabled (server/config.go
// DefaultBuildHandlerChain). goaway.go itself does not look at the verb: a WATCH can draw a GOAWAY
// too; it just keeps streaming until it ends. Default 0 (off); server_run_options.go Validate
// allows at most 0.02, and the flag's help suggests 0.001 to start with.

export type BalanceMode = 'roundrobin' | 'leastconn';
export const BALANCE_MODES: readonly BalanceMode[] = ['roundrobin', 'leastconn'];

/** server_run_options.go Validate: --goaway-chance must be in [0, 0.02]. */
export const MAX_GOAWAY_CHANCE = 0.02;
export const DEFAULT_GOAWAY_CHANCE = 0;

export interface Backend {
  name: string;
  up: boolean;
  /** Connections the balancer has open to this server now (for leastconn). */
  connections: number;
}

/** The balancer's memory between choices: the index (in configuration order) it picked last. */
export interface BalanceState {
  lastIndex: number;
}

export const INITIAL_BALANCE_STATE: BalanceState = Object.freeze({ lastIndex: -1 });

/** Indices of the UP servers, in rotation order starting just after the last pick. */
function rotationAfter(backends: readonly Backend[], lastIndex: number): number[] {
  const n = backends.length;
  const out: number[] = [];
  for (let k = 1; k <= n; k++) {
    const i = (((lastIndex + k) % n) + n) % n;
    if (backends[i]!.up) out.push(i);
  }
  return out;
}

/**
 * The server for one new connection, or null when no server is UP (haproxy then has nowhere to
 * send it and the client's connect fails). Pure: returns the next state instead of keeping it.
 */
export function chooseBackend(
  mode: BalanceMode,
  backends: readonly Backend[],
  state: BalanceState = INITIAL_BALANCE_STATE,
): { backend: Backend; index: number; state: BalanceState } | null {
  const order = rotationAfter(backends, state.lastIndex);
  if (order.length === 0) return null;
  let pick = order[0]!;
  if (mode === 'leastconn') {
    // Fewest connections; among equals the first in rotation order ("round-robin within groups
    // of servers of the same load").
    for (const i of order) if (backends[i]!.connections < backends[pick]!.connections) pick = i;
  }
  return { backend: backends[pick]!, index: pick, state: { lastIndex: pick } };
}

export type HttpProtocol = 'HTTP/1.1' | 'HTTP/2.0';

/**
 * goaway.go: goaway.ServeHTTP asks probabilisticGoawayDecider.Goaway only for HTTP/2.0 requests,
 * and the filter exists only when the chance is above 0; Goaway is `next() < chance` with next()
 * uniform in [0, 1). `draw` is the caller's seeded stream; it is called only when upstream would
 * draw, so a chance of 0 or an HTTP/1.1 client consumes no randomness.
 */
export function goawayDecision(chance: number, protocol: HttpProtocol, draw: () => number): boolean {
  if (!(chance > 0) || protocol !== 'HTTP/2.0') return false;
  return draw() < chance;
}

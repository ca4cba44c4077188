// The grpc-go and clientv3 parameters of the apiserver's etcd client, its sub-connection and call records, grpc back-off.
import type { Stream } from '../kernel/random.ts';
import type { KvOp } from '../etcd/kv.ts';
import type { EtcdResponse } from '../etcd/requests.ts';

/** factory/etcd3.go newETCD3Client: DialKeepAliveTime 30 s, DialKeepAliveTimeout 10 s. */
export const KEEPALIVE_TIME_US = 30_000_000;
export const KEEPALIVE_TIMEOUT_US = 10_000_000;
/** grpc-go clientconn.go minConnectTimeout (and the apiserver's DialTimeout): a connect attempt gives up after 20 s. */
export const CONNECT_TIMEOUT_US = 20_000_000;
/** grpc-go backoff.DefaultConfig: BaseDelay 1 s, Multiplier 1.6, Jitter 0.2, MaxDelay 120 s. */
const BACKOFF_BASE_US = 1_000_000;
const BACKOFF_MULTIPLIER = 1.6;
const BACKOFF_JITTER = 0.2;
const BACKOFF_MAX_US = 120_000_000;
/** client/v3/options.go: defaultUnaryMaxRetries 100, defaultBackoffWaitBetween 25 ms, jitter 10 %. */
export const MAX_RETRIES = 100;
export const RETRY_WAIT_US = 25_000;
/**
 * The TCP acknowledgements of a window of unacknowledged data are checked by one TCP_SYN probe sent this long before
 * TCP_USER_TIMEOUT would fire: the peer's kernel answers it (even with the process frozen) unless the host is dark.
 */
export const ACK_WINDOW_US = 1_000_000;
export const FIRST_ENDPOINT_ERROR = 'x509: certificate is valid for the first etcd endpoint only (kubernetes#72102)';
/** Clients in one process tell their message ids apart by id mod ID_STRIDE. */
export const ID_STRIDE = 4;

/** A grpc sub-connection: READY carries calls; CONNECTING waits on a handshake; BACKOFF waits to try again. */
type SubConnState = 'ready' | 'connecting' | 'backoff';

export interface Endpoint {
  index: number;
  target: string;
  state: SubConnState;
  /** Local time something last arrived on the transport (http2_client.go keepalive: lastRead). */
  lastRecvAt: number;
  /** Failed connect attempts since it was last READY (the back-off exponent). */
  attempts: number;
  /** Outstanding keepalive ping or connect handshake (0: none). */
  pingId: number;
  /** Outstanding TCP acknowledgement probe (0: none). */
  synId: number;
  /** Local send time of the oldest data not known to be acknowledged, or null. */
  unackedSince: number | null;
  /** Calls now on this transport. */
  outstanding: number;
}

export interface Call {
  key: number;
  op: KvOp | { kind: 'health' };
  serializable: boolean;
  cb: (resp: EtcdResponse) => void;
  /** Range requests are retried on Unavailable (retry.go isSafeRetryImmutableRPC); Txn/Put/Delete are not. */
  readOnly: boolean;
  retries: number;
  endpoint: Endpoint | null;
  /** Its deadline timer's name, kept so finishing it does not build (and hash) the name again. */
  timer: string;
}

/** gRPC codes.Unavailable: a closed transport, or etcd's ErrGRPCTimeout / ErrGRPCStopped / ErrGRPCNoLeader. */
export function unavailable(error: string | undefined): boolean {
  return error !== undefined && /^(connection |etcdserver: (request timed out|server stopped|no leader))/.test(error);
}

/** grpc-go backoff.Exponential: min(120 s, 1 s × 1.6^n) ± 20 %, drawn from the process's seeded stream. */
export function backoffUs(attempts: number, random: Stream): number {
  const baseUs = Math.min(BACKOFF_MAX_US, BACKOFF_BASE_US * BACKOFF_MULTIPLIER ** attempts);
  return Math.round(baseUs * (1 + BACKOFF_JITTER * (random.float() * 2 - 1)));
}

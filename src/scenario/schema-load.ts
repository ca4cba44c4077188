// The `load:` section of a scenario: external API clients with request classes and rates, apiserver capacity, haproxy balance.
//
// The fields are the ones of src/load/spec.ts (LoadSpec); the rules that need more than a field's
// type (negative rates, unknown request classes and client kinds, a concurrency limit of 0, goaway
// chance above 0.02) are src/load/spec.ts validateLoadSpec's, reported at their field path.
// Without a `load:` section the scenario is exactly what it was (no key is added to it).
import { z } from 'zod';
import { zPositiveDuration } from './duration.ts';
import { validateLoadSpec, type LoadSpec } from '../load/spec.ts';
import { DEFAULT_AUDIT } from '../load/audit.ts';
import { DEFAULT_DISK } from '../load/disk.ts';

/**
 * kubeadm's preflight check NumCPU (cmd/kubeadm/app/preflight/checks.go) refuses a control-plane
 * node with fewer than 2 CPUs; the default is that minimum.
 */
export const DEFAULT_MASTER_CORES = 2;

/** How a client's requests arrive: a Poisson process (default) or evenly spaced. */
export const ARRIVALS = ['poisson', 'fixed'] as const;

const zNum = z.number();

const RequestSchema = z
  .object({
    class: z.string().describe('request class: get, list, create, update, lease-renew, pod-status, watch (each client holds one informer: LIST then WATCH)'),
    perSecond: zNum.optional().describe('requests per second of ONE client of the group (not for watch: a watch is held, not sent at a rate)'),
    objects: zNum.optional().describe('objects returned by a LIST, or by a watch class\'s informer LIST (extra apiserver CPU per object)'),
  })
  .strict();

const ClientSchema = z
  .object({
    name: z.string().min(1),
    kind: z.string().default('user').describe('who the client is to APF: user, service-account, controller-manager, scheduler, kubelet, admin'),
    count: z.int().min(1).default(1).describe('clients in the group, each with its own connection and token bucket'),
    qps: zNum.optional().describe('client-go QPS (default by kind: user 5, kubelet 50, controller-manager 20, scheduler 50)'),
    burst: zNum.optional().describe('client-go Burst (default by kind: user 10, kubelet 100, controller-manager 30, scheduler 100)'),
    arrivals: z.enum(ARRIVALS).default('poisson'),
    requests: z.array(RequestSchema).min(1),
  })
  .strict();

export const LoadSchema = z
  .object({
    balance: z.string().default('roundrobin').describe('haproxy balance of the apiserver backend: roundrobin (haproxy default) | leastconn'),
    goawayChance: zNum.default(0).describe('kube-apiserver --goaway-chance (0 = off, at most 0.02)'),
    machines: z
      .object({
        cores: zNum.default(DEFAULT_MASTER_CORES),
        disk: z
          .object({ writeMBPerSecond: zNum.default(DEFAULT_DISK.writeBytesPerUs).describe('sustained write throughput of each machine\'s disk, MB/s (default 200, an assumption); the idle fsync is params.etcd.fsync') })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({})
      .describe('each machine\'s cores and disk, shared by its processes (a stacked master\'s apiserver and etcd member share both)'),
    audit: z
      .object({
        level: z.string().default(DEFAULT_AUDIT.level).describe('kube-apiserver audit policy level for every request: None (kubeadm default) | Metadata | Request | RequestResponse'),
        eventBytes: zNum.default(DEFAULT_AUDIT.eventBytes).describe('bytes of one Metadata-level audit event (default 1024, an assumption)'),
        objectBytes: zNum.default(DEFAULT_AUDIT.objectBytes).describe('bytes of one object in a logged request or response body (default 2048, an assumption)'),
      })
      .strict()
      .prefault({})
      .describe('the audit log the apiservers append to their machine\'s disk (log backend)'),
    apf: z
      .object({
        maxRequestsInflight: zNum.default(400).describe('kube-apiserver --max-requests-inflight'),
        maxMutatingRequestsInflight: zNum.default(200).describe('kube-apiserver --max-mutating-requests-inflight'),
      })
      .strict()
      .prefault({}),
    clients: z.array(ClientSchema).default([]),
    limits: z
      .object({
        p99WriteLatency: zPositiveDuration.prefault('1s').describe('the N+1 verdict\'s bound on p99 write latency (default 1s: the upstream SLO for mutating calls)'),
        rejectedFraction: zNum.min(0).max(1).default(0.01).describe('the N+1 verdict\'s bound on the fraction of 429 answers (default 0.01, an assumption)'),
      })
      .strict()
      .optional()
      .describe('ask the N+1 question: after the first fault, p99 write latency and 429 fraction within these? (report line only when given)'),
  })
  .strict()
  .superRefine((load, ctx) => {
    for (const problem of validateLoadSpec(load as LoadSpec, 'load')) {
      const [where, ...rest] = problem.split(': ');
      ctx.addIssue({ code: 'custom', path: pathSegments(where!.replace(/^load\.?/, '')), message: rest.join(': ') });
    }
  })
  .describe('API load: external clients, apiserver capacity (cores, APF), haproxy balance, --goaway-chance (README "Load and capacity")');

export type LoadSection = z.output<typeof LoadSchema>;
export type LoadClient = LoadSection['clients'][number];

/** "clients[0].requests[1].class" → ['clients', 0, 'requests', 1, 'class']. */
function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

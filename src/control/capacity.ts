// An apiserver's capacity when the scenario has load: APF admission, a processor-sharing CPU, --goaway-chance, load samples.
//
// Flow of one API request (docs/design/load.md "Who owns what"): classify (load/classes.ts
// flowSchemaFor) → APF (load/apf.ts, apiserver filters/priority-and-fairness.go): dispatched, queued
// or 429 → once dispatched, its CPU work (cpuWorkUs of its class) runs on the master's PsCpu
// (load/cpu.ts) → then the apiserver serves it as before (etcd call, answer) → the answer frees its
// APF seat, which may dispatch waiters. A waiter that outlives its queue-wait limit gets 429 with
// Retry-After 1 (APF_RETRY_AFTER_SECONDS). With goawayChance > 0 each answer may carry
// `goaway: true` (filters/goaway.go WithProbabilisticGoaway; the response's Connection: close).
//
// Simplified, said plainly: the whole CPU cost of a request is paid before its etcd call; health
// checks (/readyz, /livez) bypass APF and CPU; requests that are not load-client requests (leases,
// the kubectl probe, controllers) are served at the exempt level but still pay CPU by their verb.
// CPU and disk are the machine's (load/machine.ts, shared with a stacked etcd member) when the build
// passes `machine`, else a private CPU; the apiserver runs at most GOMAXPROCS = cores threads. Each
// answered request appends its audit event to the machine's disk (load/audit.ts; level None: nothing).
import type { Ctx, Msg } from '../kernel/actor.ts';
import { ApfServer, APF_RETRY_AFTER_SECONDS, type ApfRequest } from '../load/apf.ts';
import { flowHash53 } from '../load/apf-config.ts';
import { goawayDecision } from '../load/balance.ts';
import { cpuWorkUs, flowSchemaFor, type ClientKind, type RequestClassName } from '../load/classes.ts';
import { auditEventBytes, type AuditConfig } from '../load/audit.ts';
import { DEFAULT_DISK } from '../load/disk.ts';
import { MachineResources, type MachineLane } from '../load/machine.ts';
import type { HttpRequest } from '../net/http.ts';
import type { ApiserverLoadDetail } from '../kernel/observations.ts';

export interface CapacityConfig {
  cores: number;
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  goawayChance: number;
  requestTimeoutUs: number;
  /** How often the apiserver emits an `apiserver-load` sample. */
  sampleUs: number;
  /** The master's shared CPU and disk (the cluster build's, one per machine); without it a private CPU. */
  machine?: MachineResources;
  /** The audit log backend's writes to the machine's disk; none without it. */
  audit?: AuditConfig;
}

/** What a load client's request carries so the apiserver can classify it (who sends it, what it is). */
export interface LoadTag {
  class: RequestClassName;
  client: ClientKind;
  /** The user (APF's flow distinguisher). */
  user: string;
  objects?: number;
}

interface Entry {
  from: string;
  reqId: unknown;
  run: () => void;
  cls: RequestClassName;
  objects: number;
}

const TIMER_EXPIRE = 'capacity:expire';
const TIMER_SAMPLE = 'capacity:sample';

/** The request class of a request that carries no load tag, by its verb. */
function classOfVerb(verb: unknown): RequestClassName {
  return verb === 'get' ? 'get' : verb === 'list' ? 'list' : 'update';
}

export class Capacity {
  /** The apiserver's context with answers passing through here (APF seats are freed on the answer). */
  readonly ctx: Ctx;
  private readonly apf: ApfServer;
  private readonly cpu: MachineLane;
  private readonly entries = new Map<string, Entry>();
  /** `${client}|${response id}` → APF request id, for requests being served. */
  private readonly serving = new Map<string, string>();
  private lastUs: number;
  private sampleBusyUs = 0;
  private served = 0;
  private rejected = 0;
  /** 429s the apiserver itself answered after admission (a watch cache still initialising, cacher.ts). */
  private initialising = 0;
  /** APF ids are unique even if a client reuses a request id (a restarted client numbers from 1 again). */
  private admitted = 0;

  constructor(private readonly inner: Ctx, private readonly cfg: CapacityConfig) {
    this.lastUs = inner.now();
    this.apf = new ApfServer({ maxRequestsInflight: cfg.maxRequestsInflight, maxMutatingRequestsInflight: cfg.maxMutatingRequestsInflight, requestTimeoutUs: cfg.requestTimeoutUs }, this.lastUs);
    this.cpu = (cfg.machine ?? new MachineResources(cfg.cores, DEFAULT_DISK, this.lastUs)).attach(inner, cfg.cores);
    this.ctx = this.wrap(inner);
    inner.setTimer(TIMER_SAMPLE, cfg.sampleUs, undefined, { routine: true });
  }

  /** A monotonic local time (a stepped clock must not run the CPU backwards). */
  private now(): number {
    this.lastUs = Math.max(this.lastUs, this.inner.now());
    return this.lastUs;
  }

  /** Admit an API request: `run` serves it once APF has dispatched it and its CPU work is done. */
  admit(from: string, req: HttpRequest, run: () => void): void {
    const id = `${from}|${req.id}|${++this.admitted}`;
    const tag = (req.body as { load?: LoadTag } | undefined)?.load;
    const cls = tag?.class ?? classOfVerb((req.body as { verb?: unknown } | undefined)?.verb);
    const flow = flowSchemaFor(tag?.client ?? 'admin', cls);
    const apfReq: ApfRequest = { id, priorityLevel: flow.priorityLevel, flowHash: flowHash53(flow.flowSchema, tag?.user ?? from) };
    if (req.timeoutUs !== undefined) apfReq.timeoutUs = req.timeoutUs;
    const now = this.now();
    const result = this.apf.enqueue(apfReq, now);
    if (result.kind === 'rejected') {
      this.tooMany(from, req.id, `too many requests (${result.reason})`);
      return;
    }
    this.entries.set(id, { from, reqId: req.id, run, cls, objects: tag?.objects ?? 0 });
    if (result.kind === 'dispatched') this.startCpu(id);
    else this.armExpiry();
  }

  onTimer(name: string): boolean {
    if (this.cpu.onTimer(name)) return true;
    if (name === TIMER_EXPIRE) this.expire();
    else if (name === TIMER_SAMPLE) this.sample();
    else return false;
    return true;
  }

  private tooMany(to: string, id: unknown, error: string): void {
    this.rejected++;
    this.inner.send(to, { type: 'http.resp', id, status: 429, error, retryAfter: String(APF_RETRY_AFTER_SECONDS) });
  }

  private startCpu(id: string): void {
    const e = this.entries.get(id)!;
    this.cpu.runCpu(cpuWorkUs(e.cls, e.objects), () => this.cpuDone(id));
  }

  private cpuDone(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.serving.set(`${e.from}|${String(e.reqId)}`, id);
    e.run();
  }

  private armExpiry(): void {
    const next = this.apf.nextExpiryUs();
    if (next === null) this.inner.cancelTimer(TIMER_EXPIRE);
    else this.inner.setTimer(TIMER_EXPIRE, Math.max(0, next - this.lastUs));
  }

  /** Waiters past their queue-wait limit: 429 "timed out waiting in the queue", Retry-After 1. */
  private expire(): void {
    for (const r of this.apf.expire(this.now())) {
      const e = this.entries.get(r.id)!;
      this.entries.delete(r.id);
      this.tooMany(e.from, e.reqId, 'too many requests (time-out in the APF queue)');
    }
    this.armExpiry();
  }

  /** An answer leaves: the request's seat is free (queueset.go finishRequestLocked), maybe with GOAWAY. */
  private answered(to: string, msg: Msg): Msg {
    const key = `${to}|${String(msg['id'])}`;
    const id = this.serving.get(key);
    if (id === undefined) return msg;
    this.serving.delete(key);
    const e = this.entries.get(id);
    this.entries.delete(id);
    // The audit filter sits outside APF and the cacher (config.go DefaultBuildHandlerChain), so a 429 is audited too.
    if (e && this.cfg.audit) this.cpu.write(auditEventBytes(this.cfg.audit, e.cls, e.objects));
    if (msg['status'] === 429) {
      this.rejected++;
      this.initialising++;
    } else this.served++;
    const now = this.now();
    for (const next of this.apf.finish(id, now)) this.startCpu(next.id);
    this.armExpiry();
    const draw = () => this.inner.random.float();
    return goawayDecision(this.cfg.goawayChance, 'HTTP/2.0', draw) ? { ...msg, goaway: true } : msg;
  }

  private sample(): void {
    this.inner.setTimer(TIMER_SAMPLE, this.cfg.sampleUs, undefined, { routine: true });
    const busy = this.cpu.busyCoreMicros();
    const utilisation = (busy - this.sampleBusyUs) / (this.cfg.cores * this.cfg.sampleUs);
    this.sampleBusyUs = busy;
    const waiting = this.apf.stats().reduce((n, s) => n + s.waiting, 0);
    const detail: ApiserverLoadDetail = {
      utilisation: Math.round(utilisation * 1000) / 1000, inFlight: this.apf.inFlight(), waiting, served: this.served, rejected: this.rejected,
    };
    if (this.initialising > 0) detail.initialising = this.initialising;
    this.inner.emit('apiserver-load', detail);
    this.served = 0;
    this.rejected = 0;
    this.initialising = 0;
  }

  /** The apiserver's context, except that HTTP answers pass through `answered`. */
  private wrap(c: Ctx): Ctx {
    return {
      get self() { return c.self; },
      get machine() { return c.machine; },
      get life() { return c.life; },
      get durable() { return c.durable; },
      get random() { return c.random; },
      hostProp: (name) => c.hostProp(name),
      now: () => c.now(),
      send: (to, msg) => c.send(to, msg.type === 'http.resp' ? this.answered(to, msg) : msg),
      setTimer: (name, delayUs, data, periodic) => c.setTimer(name, delayUs, data, periodic),
      cancelTimer: (name) => c.cancelTimer(name),
      hasTimer: (name) => c.hasTimer(name),
      emit: (kind, detail, subject) => c.emit(kind, detail, subject),
      claimAddress: (address, process) => c.claimAddress(address, process),
      check: (kind, fact) => c.check(kind, fact),
      exit: (code, reason) => c.exit(code, reason),
    };
  }
}

// The wire: send, transmit and arrive, virtual addresses (aliases), and the TCP handshake the kernel answers.
import type { Msg } from './actor.ts';
import type { Process } from './entities.ts';
import type { Link } from './link.ts';
import { EventKind, type SimEvent } from './queue.ts';
import type { Stream } from './random.ts';
import type { Trace } from './trace.ts';

/** Connection handshake answered by the kernel for any process that is not down (see arrive). */
export const TCP_SYN = 'tcp.syn';
export const TCP_SYNACK = 'tcp.synack';

/** Watches every packet put on the wire (the web UI draws messages in flight). */
export type TransmitWatcher = (from: string, to: string, type: string, sentAt: number, arriveAt: number) => void;

/** What the wire needs of the event loop: its clocks, a way to schedule, the process table, streams and the trace. */
export interface WireLoop {
  /** Model time. */
  readonly now: number;
  /** Run time (model time plus what fast-forward skipped): what the trace is stamped with. */
  readonly time: number;
  readonly trace: Trace;
  schedule(at: number, kind: EventKind, target: number, name: string, data: unknown): SimEvent;
  process(id: string): Process | undefined;
  stream(name: string): Stream;
}

export class Wire {
  /** Virtual addresses and their current holders (see setAlias). */
  readonly aliases = new Map<string, string | null>();
  onTransmit: TransmitWatcher | null = null;

  constructor(private readonly loop: WireLoop, readonly link: Link) {}

  /** Send to a process id or a virtual address; to an address nobody holds, the packet vanishes. */
  send(from: Process, to: string, msg: Msg): void {
    let target = to;
    if (this.aliases.size > 0 && this.aliases.has(to)) {
      const holder = this.aliases.get(to);
      if (holder === null || holder === undefined) return;
      target = holder;
    }
    const dest = this.loop.process(target);
    if (!dest) throw new Error(`${from.id} sent ${msg.type} to unknown process ${to}`);
    this.transmit(from, dest, EventKind.Deliver, msg);
  }

  /** Put a packet on the wire from `from` to `to`; lost or blocked packets simply vanish. */
  transmit(from: Process, to: Process, kind: EventKind, msg: Msg): void {
    const loop = this.loop;
    const a = from.host.name;
    const b = to.host.name;
    const delay = this.link.delay(a, b, (from.host.netStream ??= loop.stream(`net:${a}`)));
    if (delay < 0 || !to.host.up) return;
    // Connections are FIFO like TCP: never arrive before the previous packet on the same pair.
    const last = from.lastArrival;
    const now = loop.now;
    const at = Math.max(now + delay, last[to.index] ?? 0);
    last[to.index] = at;
    if (this.onTransmit !== null) this.onTransmit(from.id, to.id, msg.type, now, at);
    loop.schedule(at, kind, to.index, from.id, msg);
  }

  /** A message (or a refusal) reaches process `p`; `ev.name` is its sender. */
  arrive(p: Process, ev: SimEvent): void {
    if (!p.host.up) return;
    const msg = ev.data as Msg;
    const trace = this.loop.trace;
    if (msg.type === TCP_SYN && p.status !== 'down' && ev.kind === EventKind.Deliver) {
      // The OS accepts a connection on a listening socket even while the process is frozen.
      trace.event(this.loop.time, ev.kind, p.index, ev.name, TCP_SYN);
      const sender = this.loop.process(ev.name);
      if (sender) this.transmit(p, sender, EventKind.Deliver, { type: TCP_SYNACK, id: msg['id'] });
      return;
    }
    if (p.status === 'paused') {
      p.held.push(ev);
      return;
    }
    trace.event(this.loop.time, ev.kind, p.index, ev.name, msg.type);
    if (ev.kind === EventKind.Refused) {
      if (p.running) p.actor!.refused?.(p, ev.name, msg);
      return;
    }
    if (p.running) {
      p.actor!.message(p, ev.name, msg);
      return;
    }
    // Host up, nothing listening: the sender sees connection refused, one trip later.
    const sender = this.loop.process(ev.name);
    if (sender) this.transmit(p, sender, EventKind.Refused, msg);
  }

  /**
   * A virtual address (a keepalived VIP): packets sent to `name` go to whichever process holds it
   * now (null: nobody, they vanish).
   */
  setAlias(name: string, holder: string | null): void {
    this.aliases.set(name, holder);
  }
}

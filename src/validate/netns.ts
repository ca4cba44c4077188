// A private network of namespaces on one bridge (in its own hub namespace): hosts that can be cut off like a powered-off machine.
import type { Supervisor } from './procs.ts';

/** Thrown when a case cannot run here (no namespaces, a binary refuses to start…): the case is skipped with this message. */
export class SkipCase extends Error {}

let labCounter = 0;

/**
 * Host `i` lives in its own namespace with `eth0` = 10.200.0.(i+1)/24, linked by a veth pair to
 * a bridge in a hub namespace. Nothing is added to the suite's own namespace, so no packet can
 * leave the lab. `isolate` sets the hub end of a host's link down: its frames go nowhere and
 * nothing reaches it — a black hole, as a powered-off host or a pulled cable looks to its peers.
 */
export class NetnsLab {
  readonly hub: string;
  private readonly hosts: string[] = [];
  private readonly prefix: string;

  constructor(private readonly sup: Supervisor) {
    labCounter++;
    this.prefix = `hasimv${process.pid}x${labCounter}`;
    this.hub = `${this.prefix}hub`;
    try {
      sup.addNamespace(this.hub);
      this.ip(this.hub, ['link', 'set', 'lo', 'up']);
      this.ip(this.hub, ['link', 'add', 'br0', 'type', 'bridge']);
      this.ip(this.hub, ['link', 'set', 'br0', 'up']);
    } catch (err) {
      throw new SkipCase(`network namespaces cannot be made here (needs root and iproute2: ${firstLine(err)})`);
    }
  }

  /** Add a host; returns its namespace name and address. */
  addHost(): { ns: string; ip: string; index: number } {
    const index = this.hosts.length;
    const ns = `${this.prefix}h${index}`;
    const ip = `10.200.0.${index + 1}`;
    try {
      this.sup.addNamespace(ns);
      this.ip(this.hub, ['link', 'add', `v${index}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      this.ip(this.hub, ['link', 'set', `v${index}`, 'master', 'br0']);
      this.ip(this.hub, ['link', 'set', `v${index}`, 'up']);
      this.ip(ns, ['link', 'set', 'lo', 'up']);
      this.ip(ns, ['addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      this.ip(ns, ['link', 'set', 'eth0', 'up']);
    } catch (err) {
      throw new SkipCase(`could not add a host to the namespace lab: ${firstLine(err)}`);
    }
    this.hosts.push(ns);
    return { ns, ip, index };
  }

  isolate(index: number): void {
    this.ip(this.hub, ['link', 'set', `v${index}`, 'down']);
  }

  heal(index: number): void {
    this.ip(this.hub, ['link', 'set', `v${index}`, 'up']);
  }

  /** The addresses configured in a host's namespace (to see where a VIP sits). */
  addresses(ns: string): string {
    return this.ip(ns, ['-4', '-o', 'addr', 'show', 'dev', 'eth0']);
  }

  private ip(ns: string, args: string[]): string {
    return this.sup.run('ip', ['-n', ns, ...args]);
  }
}

export function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return String(e.stderr || e.message || err).trim().split('\n')[0] ?? '';
}

// Fault targets resolved when the fault fires: machines, processes, zones and role selectors.
import type { Machine, Process } from '../kernel/entities.ts';
import type { Sim } from '../kernel/sim.ts';
import { machinesInZone, parseTarget, type ClusterSpec } from '../scenario/index.ts';

export type Ref = { kind: 'process'; process: Process } | { kind: 'machine'; machine: Machine };

/** What a fault took down, so that `<component>:killed` can bring it back. */
interface Downed {
  component: string;
  ref: Ref;
}

export function refName(ref: Ref): string {
  return ref.kind === 'process' ? ref.process.id : ref.machine.name;
}

export class Targets {
  /** Role selectors the models fill in: `etcd:leader` → the process id that leads now, if any. */
  private readonly roles = new Map<string, () => string | undefined>();
  private readonly downed: Downed[] = [];

  constructor(private readonly sim: Sim, private readonly cluster: ClusterSpec) {}

  defineRole(selector: string, resolve: () => string | undefined): void {
    this.roles.set(selector, resolve);
  }

  /** Remember what a kill/stop/pause took down. */
  recordDown(refs: Ref[]): void {
    for (const ref of refs) {
      const components = ref.kind === 'process' ? [ref.process.component] : ref.machine.processes.map((p) => p.component);
      for (const component of components) this.downed.push({ component, ref });
    }
  }

  /** Resolve a target to processes or machines; `scope: machine` widens a process to its machine. */
  resolve(target: string, scope: 'process' | 'machine' = 'process'): Ref[] {
    const refs = this.resolveNarrow(target);
    if (scope === 'process') return refs;
    const seen = new Set<string>();
    const out: Ref[] = [];
    for (const r of refs) {
      const machine = r.kind === 'process' ? r.process.host : r.machine;
      if (!seen.has(machine.name)) out.push({ kind: 'machine', machine });
      seen.add(machine.name);
    }
    return out;
  }

  /** Machines named by a partition/isolate/cut/latency target (zones expand, processes mean their machine). */
  machines(target: string): string[] {
    return [...new Set(this.resolve(target, 'machine').map((r) => refName(r)))];
  }

  private resolveNarrow(target: string): Ref[] {
    const ref = parseTarget(target, this.cluster);
    if (!ref) throw new Error(`unresolvable target ${target}`);
    switch (ref.kind) {
      case 'machine':
        return this.machineRef(ref.machine);
      case 'zone':
        return machinesInZone(this.cluster, ref.zone).flatMap((m) => this.machineRef(m));
      case 'process':
        return this.processRef(`${ref.machine}/${ref.component}`);
      case 'etcd-member':
        return this.processRef(`${ref.machine}/etcd`);
      case 'role':
        return this.role(ref.selector);
    }
  }

  private role(selector: string): Ref[] {
    if (selector.endsWith(':killed')) {
      const component = selector.slice(0, -':killed'.length);
      for (let i = this.downed.length - 1; i >= 0; i--) {
        const d = this.downed[i]!;
        if (d.component !== component) continue;
        const down = d.ref.kind === 'process' ? d.ref.process.status !== 'running' : !d.ref.machine.up;
        if (down) return [d.ref];
      }
      return [];
    }
    const resolve = this.roles.get(selector);
    const id = resolve?.();
    return id === undefined ? [] : this.processRef(id);
  }

  private machineRef(name: string): Ref[] {
    const machine = this.sim.machine(name);
    return machine ? [{ kind: 'machine', machine }] : [];
  }

  private processRef(id: string): Ref[] {
    const process = this.sim.process(id);
    return process ? [{ kind: 'process', process }] : [];
  }
}

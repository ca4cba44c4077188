// Dependency lines in the picture: which apiserver a component talks to, which etcd members an apiserver uses.
import { etcdTargets, machineIndex, type Scenario } from '../../../src/index.ts';
import { isRunning, machineOf, type ViewState } from '../state.ts';
import { BOX_W, HEADER_H, PILL_GAP, PILL_H, type Box } from './layout.ts';

export interface Dep {
  from: string;
  to: string;
  /** The target answers: running, and for an apiserver its /readyz passes. */
  ok: boolean;
  /** A short bracket inside one machine box (true) or a line between boxes. */
  local: boolean;
  title: string;
}

/**
 * The dependencies the model wires (src/cluster/models/control.ts, src/scenario/endpoints.ts): a scheduler or controller-manager uses its
 * own machine's apiserver (componentsApi: local) and an apiserver uses etcdTargets (stacked: the local
 * member; external: every member). Components that go through the load balancer get no line.
 */
export function depsOf(scenario: Scenario, s: ViewState, boxes: readonly Box[]): Dep[] {
  const cluster = scenario.cluster;
  const out: Dep[] = [];
  const answers = (id: string) => isRunning(s, id) && s.machines[machineOf(id)]?.ok !== false && s.apiservers[id]?.ok !== false;
  for (const b of boxes) {
    if (b.role !== 'master') continue;
    const api = `${b.name}/kube-apiserver`;
    if (!b.processes.includes(api)) continue;
    if (cluster.componentsApi !== 'lb') {
      for (const c of ['kube-scheduler', 'kube-controller-manager']) {
        const id = `${b.name}/${c}`;
        if (!b.processes.includes(id)) continue;
        const ok = answers(api);
        out.push({ from: id, to: api, ok, local: true, title: `${id} talks to its own machine's apiserver (${api})${ok ? '' : ', which does not answer now: the component cannot renew its Lease or act'}.` });
      }
    }
    for (const target of etcdTargets(cluster, machineIndex(b.name))) {
      const ok = isRunning(s, target) && s.machines[machineOf(target)]?.ok !== false;
      out.push({
        from: api, to: target, ok, local: machineOf(target) === b.name,
        title: `${api} stores everything through ${target}${ok ? '' : ', which is down: its /readyz fails'}.`,
      });
    }
  }
  return out;
}

/** The path of a dependency: a bracket on the box's edge when both ends are in one box, else a gentle curve. */
export function depPath(d: Dep, boxes: ReadonlyMap<string, Box>): string | null {
  const a = boxes.get(machineOf(d.from));
  const b = boxes.get(machineOf(d.to));
  if (!a || !b) return null;
  const ya = pillMid(a, d.from);
  const yb = pillMid(b, d.to);
  if (ya === null || yb === null) return null;
  if (d.local) {
    // Components → apiserver on the left edge, apiserver → etcd on the right edge.
    const edge = d.to.endsWith('/kube-apiserver') ? a.x + 3 : a.x + BOX_W - 3;
    const inner = d.to.endsWith('/kube-apiserver') ? a.x + 6 : a.x + BOX_W - 6;
    return `M${inner},${ya}H${edge}V${yb}H${inner}`;
  }
  // Between boxes: from the bottom of the apiserver's box to the top of the member's, under the boxes.
  const x1 = a.x + BOX_W / 2;
  const y1 = a.y + a.h;
  const x2 = b.x + BOX_W / 2;
  const y2 = b.y;
  return `M${x1},${y1}C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;
}

function pillMid(b: Box, id: string): number | null {
  const i = b.processes.indexOf(id);
  return i < 0 ? null : b.y + HEADER_H + i * (PILL_H + PILL_GAP) + PILL_H / 2;
}

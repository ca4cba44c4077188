// Where machines go: regions (zones, or the sides of a partition), rows by role, boxes sized by what they hold.
import type { MachineInfo } from '../../../src/index.ts';
import type { ViewState } from '../state.ts';

export const BOX_W = 200;
export const HEADER_H = 36;
export const PILL_H = 19;
export const PILL_GAP = 3;
export const LINE_H = 15;
const GAP_X = 16;
const GAP_Y = 18;
const REGION_PAD = 14;
const REGION_TITLE = 22;
const REGION_GAP = 46;
/** Worker boxes drawn per region; the rest are summed up in one box. */
export const MAX_WORKERS = 12;
const ROWS: readonly string[][] = [['client', 'lb', 'etcd-lb'], ['master'], ['etcd'], ['worker', 'more']];

export interface Drawn {
  name: string;
  role: string;
  zone: number | null;
  processes: string[];
  /** For the "N more workers" box: the machines it stands for. */
  hidden?: string[];
}

export interface Box extends Drawn {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Region {
  key: string;
  title: string;
  kind: 'cluster' | 'zone' | 'side' | 'isolated';
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  regions: Region[];
  boxes: Box[];
  width: number;
  height: number;
  /** A key that changes when machines change region (for transitions). */
  signature: string;
}

/** Height of a machine box: header, one pill per process, and the extra lines of its role. */
export function boxHeight(d: Drawn, backends: number): number {
  const pills = d.processes.length * (PILL_H + PILL_GAP);
  const extra = d.role === 'lb' || d.role === 'etcd-lb' ? Math.max(1, backends) * LINE_H + 4
    : d.role === 'worker' ? 2 * LINE_H + 4
    : d.role === 'client' ? 2 * LINE_H + 4
    : d.role === 'more' ? 2 * LINE_H : 0;
  return HEADER_H + pills + extra + 6;
}

/** Which region each machine is in: partition sides and isolated machines when the network is split, else zones. */
function regionsOf(machines: readonly MachineInfo[], s: ViewState, zones: number): { key: string; title: string; kind: Region['kind']; members: MachineInfo[] }[] {
  const isolated = new Set(s.network.isolated);
  const partition = s.network.partition;
  if (partition !== null || isolated.size > 0) {
    const sideOf = new Map<string, number>();
    (partition ?? []).forEach((g, i) => g.forEach((m) => sideOf.set(m, i)));
    const sides = partition === null ? 0 : partition.length;
    const out = Array.from({ length: sides + 1 }, (_, i) => ({
      key: `side-${i}`, title: i < sides ? `partition side ${String.fromCharCode(65 + i)}` : (sides > 0 ? `partition side ${String.fromCharCode(65 + sides)} (everyone else)` : 'cluster network'),
      kind: 'side' as Region['kind'], members: [] as MachineInfo[],
    }));
    const alone: { key: string; title: string; kind: Region['kind']; members: MachineInfo[] }[] = [];
    for (const m of machines) {
      if (isolated.has(m.name)) alone.push({ key: `iso-${m.name}`, title: `isolated: ${m.name}`, kind: 'isolated', members: [m] });
      else out[sideOf.get(m.name) ?? sides]!.members.push(m);
    }
    return [...out.filter((r) => r.members.length > 0), ...alone];
  }
  if (zones > 1) {
    const out = Array.from({ length: zones }, (_, i) => ({ key: `zone-${i + 1}`, title: `zone ${i + 1}`, kind: 'zone' as Region['kind'], members: [] as MachineInfo[] }));
    const outside = { key: 'outside', title: 'outside the cluster', kind: 'cluster' as Region['kind'], members: [] as MachineInfo[] };
    for (const m of machines) (m.zone === null ? outside : out[m.zone - 1]!).members.push(m);
    return [outside, ...out].filter((r) => r.members.length > 0);
  }
  return [{ key: 'all', title: 'cluster network — every machine can reach every other', kind: 'cluster', members: [...machines] }];
}

/** Lay out `machines` (each with its process ids) for state `s`. */
export function layout(machines: readonly MachineInfo[], processesOf: (m: MachineInfo) => string[], s: ViewState, zones: number, backendsOf: (lb: string) => number): Layout {
  const regions: Region[] = [];
  const boxes: Box[] = [];
  let x = 0;
  let height = 0;
  for (const r of regionsOf(machines, s, zones)) {
    const drawn = capWorkers(r.members, processesOf);
    const rows = ROWS.map((roles) => drawn.filter((d) => roles.includes(d.role))).filter((row) => row.length > 0);
    const perRow = Math.max(1, ...rows.map((row) => (row[0]!.role === 'worker' || row[0]!.role === 'more' ? Math.min(row.length, 4) : row.length)));
    const w = REGION_PAD * 2 + perRow * BOX_W + (perRow - 1) * GAP_X;
    let y = REGION_TITLE + REGION_PAD;
    for (const row of rows) {
      for (let i = 0; i < row.length; i += perRow) {
        const line = row.slice(i, i + perRow);
        const hs = line.map((d) => boxHeight(d, backendsOf(d.name)));
        const lineW = line.length * BOX_W + (line.length - 1) * GAP_X;
        let bx = x + (w - lineW) / 2;
        line.forEach((d, j) => {
          boxes.push({ ...d, x: bx, y, w: BOX_W, h: hs[j]! });
          bx += BOX_W + GAP_X;
        });
        y += Math.max(...hs) + GAP_Y;
      }
    }
    const h = y - GAP_Y + REGION_PAD;
    regions.push({ key: r.key, title: r.title, kind: r.kind, x, y: 0, w, h });
    height = Math.max(height, h);
    x += w + REGION_GAP;
  }
  for (const r of regions) r.h = height;
  const signature = regions.map((r) => `${r.key}:${boxes.filter((b) => b.x >= r.x && b.x < r.x + r.w).map((b) => b.name).join(',')}`).join('|');
  return { regions, boxes, width: Math.max(0, x - REGION_GAP), height, signature };
}

function capWorkers(members: readonly MachineInfo[], processesOf: (m: MachineInfo) => string[]): Drawn[] {
  const out: Drawn[] = [];
  const hidden: string[] = [];
  let workers = 0;
  for (const m of members) {
    if (m.role === 'worker' && ++workers > MAX_WORKERS) {
      hidden.push(m.name);
      continue;
    }
    out.push({ name: m.name, role: m.role, zone: m.zone, processes: processesOf(m) });
  }
  if (hidden.length > 0) out.push({ name: `more:${hidden[0]}`, role: 'more', zone: null, processes: [], hidden });
  return out;
}

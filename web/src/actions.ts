// Break things: the menus a click on a machine, a process or a dragged box opens, each item a fault at the cursor.
import { fmtTime } from '../../src/index.ts';
import type { App } from './app.ts';
import { makeFault, roundMs, type RawFault } from './config.ts';
import { etcdName } from './names.ts';
import type { MenuItem } from './views/menu.ts';

function when(app: App): number {
  const d = app.runner.store.duration;
  return Math.min(roundMs(app.player.t), d > 0 ? d : Infinity);
}

function item(app: App, label: string, title: string, faults: (at: number) => RawFault[]): MenuItem {
  return { label, title, run: () => app.addFaults(faults(when(app))) };
}

function note(app: App): string {
  return `At ${fmtTime(when(app))}: the fault is added to the scenario, the run restarts from scratch and continues from here.`;
}

export function machineMenu(app: App, name: string, e: MouseEvent): void {
  const s = app.runner.store.stateAt(app.player.t);
  const off = s.machines[name]?.ok === false;
  const isolated = s.network.isolated.includes(name);
  const split = s.network.partition !== null || s.network.isolated.length > 0 || s.network.cuts.length > 0;
  const anyPaused = Object.entries(s.processes).some(([id, p]) => id.startsWith(`${name}/`) && p.state === 'paused');
  const items: MenuItem[] = off
    ? [item(app, 'start (boot) the machine', 'power it on: its processes start', (at) => [makeFault(at, 'start', name)])]
    : [
      item(app, 'kill the machine (power off)', 'crash: every process dies at once, no graceful step', (at) => [makeFault(at, 'kill', name)]),
      item(app, 'stop the machine (graceful shutdown)', 'SIGTERM to every process, then power off', (at) => [makeFault(at, 'stop', name)]),
      item(app, 'pause every process on it', 'freeze them (like a long GC pause or SIGSTOP)', (at) => [makeFault(at, 'pause', name)]),
      ...(anyPaused ? [item(app, 'resume its processes', 'unfreeze: held timers and messages run now', (at) => [makeFault(at, 'resume', name)])] : []),
      ...(isolated ? [] : [item(app, 'isolate it from the network', 'it can talk to nobody, and nobody to it', (at) => [makeFault(at, 'isolate', name)])]),
    ];
  if (split) items.push(item(app, 'heal the network', 'remove every partition and cut', (at) => [makeFault(at, 'heal', 'all')]));
  app.menu.open(name, note(app), items, e.clientX, e.clientY);
}

export function processMenu(app: App, id: string, e: MouseEvent): void {
  const store = app.runner.store;
  const s = store.stateAt(app.player.t);
  // An etcd member is named etcd-i in both topologies, so the fault also means something in the compare view.
  const target = (store.scenario ? etcdName(id, store.scenario.cluster.topology) : null) ?? id;
  const simulated = store.simulated.has(id);
  const state = s.processes[id]?.state ?? 'up';
  const kill = item(app, 'kill it (crash)', 'SIGKILL: no graceful step; it stays down until started', (at) => [makeFault(at, 'kill', target)]);
  const stop = item(app, 'stop it (graceful)', 'SIGTERM: etcd hands over leadership, the scheduler releases its lease', (at) => [makeFault(at, 'stop', target)]);
  const pause = item(app, 'pause it (freeze)', 'no timers fire and messages wait, like a long GC pause', (at) => [makeFault(at, 'pause', target)]);
  const start = item(app, 'start it', 'bring it back (its durable state survives)', (at) => [makeFault(at, 'start', target)]);
  const resume = item(app, 'resume it', 'unfreeze: held timers and messages run now', (at) => [makeFault(at, 'resume', target)]);
  const items = !simulated ? [kill, stop, pause, start]
    : state === 'down' || state === 'backoff' ? [start]
    : state === 'paused' ? [resume, kill]
    : [kill, stop, pause];
  const extra = simulated ? '' : ' (not simulated yet: the fault is recorded but changes nothing in this version)';
  app.menu.open(target === id ? id : `${target} (${id})`, note(app) + extra, items, e.clientX, e.clientY);
}

export function selectionMenu(app: App, names: string[], e: MouseEvent): void {
  const list = names.join(', ');
  app.menu.open(`${names.length} machine${names.length > 1 ? 's' : ''}: ${list}`, note(app), [
    item(app, 'partition them from the rest', 'these machines can talk to each other but not to the others', (at) => [makeFault(at, 'partition', [names])]),
    item(app, 'isolate each of them', 'each can talk to nobody', (at) => names.map((n) => makeFault(at, 'isolate', n))),
    item(app, 'kill them all (power off)', 'crash every one of them at once', (at) => names.map((n) => makeFault(at, 'kill', n))),
  ], e.clientX, e.clientY);
}

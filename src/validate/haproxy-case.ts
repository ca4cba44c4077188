// Case 5: real haproxy (HTTP /readyz checks) in front of three node HTTP servers in namespaces; a backend killed, one black-holed, both back.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAULT_AT_US, haproxyModelTrial, healDelayUs, type HaproxyTimings } from './haproxy-model.ts';
import { NetnsLab } from './netns.ts';
import { nowMs, phaseMs, sleep, withSupervisor, type Child, type Supervisor } from './procs.ts';
import type { CaseContext, ValidationCase } from './types.ts';

/** inter 1 s (half haproxy's default, to keep trials short), fall 3, rise 2 (the defaults). */
export const TIMINGS: HaproxyTimings = { interMs: 1000, fall: 3, rise: 2 };
export const NET = { latencyUs: 50, jitterUs: 25 };
const PORT = 8080;

/** A backend that answers 200 to every request (a stand-in for an apiserver's /readyz). */
const BACKEND_JS = `require('http').createServer((q, r) => { r.writeHead(200); r.end('ok'); }).listen(${PORT}, process.argv[1], () => console.log('listening'));`;
const LISTENING = /^listening/;

function haproxyCfg(backendIps: string[], bindIp: string, t: HaproxyTimings): string {
  return [
    'global', '  maxconn 200',
    // As the model's haproxyConfig defaults (kubeadm's example; `timeout check` unset).
    'defaults', '  mode http', '  timeout connect 5s', '  timeout client 20s', '  timeout server 20s', '  retries 1', '  option redispatch',
    'frontend fe', `  bind ${bindIp}:6443`, '  default_backend be',
    'backend be', '  option httpchk GET /readyz', '  http-check expect status 200',
    ...backendIps.map((ip, i) => `  server m${i + 1} ${ip}:${PORT} check inter ${t.interMs}ms fall ${t.fall} rise ${t.rise}`),
    '',
  ].join('\n');
}

/**
 * The link comes back at a phase of the black-holed server's check cycle set by the trial number,
 * the same phase as model run N (healDelayUs). With `option log-health-checks` the real haproxy
 * shows the model's mechanism: while the server is DOWN its checks time out after inter and the
 * next starts inter later (a 2 s cycle); a check in flight when the link returns fails — even when
 * Linux's SYN retransmission at 1 s gets its connection through, its response misses the 1 s
 * deadline ("Layer7 timeout, check duration: 1000ms") — and the next two checks bring it UP.
 */
interface Real {
  refusedDown: number[];
  blackholeDown: number[];
  restartUp: number[];
  healUp: number[];
}

const stateLine = (name: string, state: 'UP' | 'DOWN') => new RegExp(`Server be/${name} is ${state}`);

/** haproxy's last word on a server was DOWN. */
function isDown(hap: Child, name: string): boolean {
  const last = hap.lines.filter((l) => /Server be\/\S+ is (UP|DOWN)/.test(l.text) && l.text.includes(`be/${name} `)).at(-1);
  return last !== undefined && last.text.includes(' is DOWN');
}

async function realTrials(sup: Supervisor, ctx: CaseContext): Promise<Real> {
  const lab = new NetnsLab(sup);
  const lb = lab.addHost();
  const hosts = [lab.addHost(), lab.addHost(), lab.addHost()];
  const startBackend = (i: number): Child => sup.spawn(`backend-${i + 1}`, process.execPath, ['-e', BACKEND_JS, hosts[i]!.ip], { netns: hosts[i]!.ns });
  const backends = hosts.map((_, i) => startBackend(i));
  // Start haproxy only once every server listens (node can take seconds to start on a busy machine).
  for (const b of backends) if (!(await b.waitLine(LISTENING, 0, 30_000))) throw new Error(`${b.name} did not start listening within 30 s`);
  const cfgFile = join(sup.tempDir('haproxy'), 'haproxy.cfg');
  writeFileSync(cfgFile, haproxyCfg(hosts.map((h) => h.ip), lb.ip, TIMINGS));
  const hap = sup.spawn('haproxy', 'haproxy', ['-db', '-f', cfgFile], { netns: lb.ns });
  const out: Real = { refusedDown: [], blackholeDown: [], restartUp: [], healUp: [] };
  await sleep(3000);
  if (!hap.alive) throw new Error(`haproxy exited: ${hap.lines.map((l) => l.text).join(' | ')}`);
  for (let t = 0; t < ctx.trials; t++) {
    for (let w = 0; w < 200 && ['m1', 'm2', 'm3'].some((n) => isDown(hap, n)); w++) await sleep(100);
    // A uniformly random phase of the check cycle.
    await sleep(phaseMs(TIMINGS.interMs));
    const t0 = sup.signal(backends[1]!, 'SIGKILL');
    lab.isolate(hosts[2]!.index);
    const [d2, d3] = await Promise.all([hap.waitLine(stateLine('m2', 'DOWN'), t0, 20_000), hap.waitLine(stateLine('m3', 'DOWN'), t0, 20_000)]);
    if (!d2 || !d3) throw new Error(`trial ${t + 1}: haproxy did not mark ${!d2 ? 'm2 (killed)' : 'm3 (black-holed)'} DOWN within 20 s`);
    out.refusedDown.push((d2.atMs - t0) / 1000);
    out.blackholeDown.push((d3.atMs - t0) / 1000);
    // The same phase of the black-holed server's check cycle as model run t + 1 (healDelayUs).
    await sleep(Math.max(0, d3.atMs + healDelayUs(TIMINGS.interMs * 1000, t + 1) / 1000 - nowMs()));
    const t1 = nowMs();
    backends[1] = startBackend(1);
    lab.heal(hosts[2]!.index);
    const [u2, u3, ready] = await Promise.all([
      hap.waitLine(stateLine('m2', 'UP'), t1, 20_000), hap.waitLine(stateLine('m3', 'UP'), t1, 20_000), backends[1].waitLine(LISTENING, t1, 20_000),
    ]);
    if (!u2 || !u3 || !ready) throw new Error(`trial ${t + 1}: haproxy did not mark ${!u2 ? 'm2 (restarted)' : 'm3 (healed)'} UP within 20 s`);
    // From the moment the restarted server listens (node's own start-up is not the backend's return).
    out.restartUp.push((u2.atMs - ready.atMs) / 1000);
    out.healUp.push((u3.atMs - t1) / 1000);
    const took = /check duration: (\d+ms)/.exec(u3.text)?.[1] ?? '?';
    ctx.log(`  trial ${t + 1}/${ctx.trials} (the black-holed server's first good check took ${took}): DOWN ${out.refusedDown.at(-1)!.toFixed(2)} s (refused), ${out.blackholeDown.at(-1)!.toFixed(2)} s (black hole); UP ${out.restartUp.at(-1)!.toFixed(2)} s, ${out.healUp.at(-1)!.toFixed(2)} s`);
  }
  return out;
}

export const haproxyChecks: ValidationCase = {
  id: 'haproxy',
  title: 'haproxy: HTTP checks, a backend killed (refused) and one black-holed, then back',
  needs: [{ binary: 'haproxy', pkg: 'haproxy' }, { binary: 'ip', pkg: 'iproute2' }],
  async run(ctx) {
    const real = await withSupervisor((sup) => realTrials(sup, ctx));
    const model: Real = { refusedDown: [], blackholeDown: [], restartUp: [], healUp: [] };
    for (let seed = 1; seed <= ctx.modelTrials; seed++) {
      const m = haproxyModelTrial(TIMINGS, NET, seed);
      if (m.refusedDownS !== null) model.refusedDown.push(m.refusedDownS);
      if (m.blackholeDownS !== null) model.blackholeDown.push(m.blackholeDownS);
      if (m.restartUpS !== null) model.restartUp.push(m.restartUpS);
      if (m.healUpS !== null) model.healUp.push(m.healUpS);
    }
    return {
      metrics: [
        { name: 'DOWN, killed (s)', unit: 's', real: real.refusedDown, model: model.refusedDown, gated: true },
        { name: 'DOWN, black-holed (s)', unit: 's', real: real.blackholeDown, model: model.blackholeDown, gated: true },
        { name: 'UP, restarted (s)', unit: 's', real: real.restartUp, model: model.restartUp, gated: true },
        { name: 'UP, link back (s)', unit: 's', real: real.healUp, model: model.healUp, gated: true },
      ],
      notes: [`inter ${TIMINGS.interMs} ms, fall ${TIMINGS.fall}, rise ${TIMINGS.rise}, timeout connect 5s, no timeout check; model network ${NET.latencyUs}±${NET.jitterUs} µs; model fault at ${FAULT_AT_US / 1e6} s`],
    };
  },
};

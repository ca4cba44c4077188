// Case 6: three real keepalived instances (unicast VRRP) in namespaces; the MASTER's host cut off → a BACKUP takes the VIP.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActorFactory } from '../kernel/actor.ts';
import { streamFor } from '../kernel/random.ts';
import { Sim } from '../kernel/sim.ts';
import { Network } from '../net/network.ts';
import { SECOND } from '../kernel/time.ts';
import { Keepalived, type KeepalivedConfig } from '../lb/keepalived.ts';
import { NetnsLab, SkipCase } from './netns.ts';
import { nowMs, phaseMs, sleep, withSupervisor, type Child, type Supervisor } from './procs.ts';
import type { CaseContext, ValidationCase } from './types.ts';

const ADVERT_INT_S = 1;
const PRIORITIES = [101, 100, 99];
const NET = { latencyUs: 50, jitterUs: 25 };
const VIP = '10.200.0.100';
const MASTER = /Entering MASTER STATE/;
const BACKUP = /Entering BACKUP STATE/;

function keepalivedCfg(i: number, ips: string[]): string {
  return `global_defs {
  router_id hasim_validate_${i + 1}
  vrrp_garp_master_delay 1
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority ${PRIORITIES[i]}
  advert_int ${ADVERT_INT_S}
  unicast_src_ip ${ips[i]}
  unicast_peer {
${ips.filter((_, j) => j !== i).map((ip) => `    ${ip}`).join('\n')}
  }
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;
}

async function realTrials(sup: Supervisor, ctx: CaseContext): Promise<number[]> {
  const lab = new NetnsLab(sup);
  const hosts = [lab.addHost(), lab.addHost(), lab.addHost()];
  const dir = sup.tempDir('keepalived');
  const kas: Child[] = hosts.map((h, i) => {
    const cfg = join(dir, `k${i + 1}.conf`);
    writeFileSync(cfg, keepalivedCfg(i, hosts.map((x) => x.ip)));
    const pid = (name: string) => join(dir, `${name}${i + 1}.pid`);
    return sup.spawn(`keepalived-${i + 1}`, 'keepalived',
      ['--dont-fork', '--log-console', '--log-detail', '--vrrp', '-f', cfg, '-p', pid('main'), '-r', pid('vrrp'), '-c', pid('check')], { netns: h.ns });
  });
  const first = await kas[0]!.waitLine(MASTER, 0, 15_000);
  if (!first) {
    const why = kas.map((k) => k.lines.slice(-2).map((l) => l.text).join(' | ')).join(' ;; ');
    throw new SkipCase(`keepalived did not become MASTER in a namespace here within 15 s (${why})`);
  }
  const out: number[] = [];
  for (let t = 0; t < ctx.trials; t++) {
    await sleep(2000 + phaseMs(ADVERT_INT_S * 1000));
    const t0 = nowMs();
    lab.isolate(hosts[0]!.index);
    const took = await kas[1]!.waitLine(MASTER, t0, 15_000);
    if (!took) throw new Error(`trial ${t + 1}: the BACKUP with priority ${PRIORITIES[1]} did not take over within 15 s`);
    out.push((took.atMs - t0) / 1000);
    const t1 = nowMs();
    lab.heal(hosts[0]!.index);
    // lb-1 (still MASTER on its side) wins the first exchange of adverts; lb-2 yields.
    if (!(await kas[1]!.waitLine(BACKUP, t1, 15_000))) throw new Error(`trial ${t + 1}: lb-2 did not go back to BACKUP after the heal`);
    ctx.log(`  trial ${t + 1}/${ctx.trials}: VIP moved after ${out.at(-1)!.toFixed(2)} s`);
  }
  return out;
}

/** The model: three Keepalived actors as configured above (no vrrp_script), lb-1 cut off at a random phase. */
export function keepalivedModelTrial(seed: number): number | null {
  const sim = new Sim({ seed, link: new Network({ latencyUs: NET.latencyUs, jitterUs: NET.jitterUs, loss: 0 }) });
  const lbs = ['lb-1', 'lb-2', 'lb-3'];
  const idle: ActorFactory = () => ({ start() {}, timer() {}, message() {} });
  for (const [i, name] of lbs.entries()) {
    sim.addMachine({ name, role: 'test', zone: null });
    sim.addProcess({ machine: name, component: 'haproxy', make: idle });
    const cfg: KeepalivedConfig = {
      peers: lbs.filter((m) => m !== name).map((m) => `${m}/keepalived`),
      priority: PRIORITIES[i]!, address: i + 1, advertIntUs: ADVERT_INT_S * SECOND, preempt: true,
      vip: 'vip', vipTarget: `${name}/haproxy`, script: null,
    };
    sim.addProcess({ machine: name, component: 'keepalived', make: () => new Keepalived(cfg) });
  }
  sim.setAlias('vip', null);
  for (const p of sim.processes) sim.lifecycle.start(p, 'boot');
  const cutAt = 10 * SECOND + streamFor(seed, 'validate:cut').below(ADVERT_INT_S * SECOND);
  sim.at(cutAt, 'validate', (s) => s.network.isolate('lb-1'));
  sim.run({ untilUs: cutAt + 20 * SECOND });
  const o = sim.trace.observations.find((x) => x.kind === 'vip' && x.at >= cutAt && x.detail['holder'] === 'lb-2');
  return o ? (o.at - cutAt) / SECOND : null;
}

export const keepalivedVip: ValidationCase = {
  id: 'keepalived',
  title: 'keepalived: the VIP moves after the MASTER is cut off (3 × advert + skew)',
  needs: [{ binary: 'keepalived', pkg: 'keepalived' }, { binary: 'ip', pkg: 'iproute2' }],
  async run(ctx) {
    const real = await withSupervisor((sup) => realTrials(sup, ctx));
    const model: number[] = [];
    for (let seed = 1; seed <= ctx.modelTrials; seed++) {
      const m = keepalivedModelTrial(seed);
      if (m !== null) model.push(m);
    }
    return {
      metrics: [{ name: 'VIP to the BACKUP (s)', unit: 's', real, model, gated: true }],
      notes: [`advert_int ${ADVERT_INT_S} s, priorities ${PRIORITIES.join('/')}, unicast peers, no vrrp_script; the MASTER's link is set down (a powered-off host to its peers)`],
    };
  },
};

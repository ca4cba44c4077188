// How long real etcd takes for each step of installing a received snapshot (server.go applySnapshot), from its own log; the source of src/etcd/snapshot-apply.ts.
// Run as root or a user who can start etcd: node --import tsx scripts/etcd-snapshot-steps.mts WRITES KEYS TRIALS (e.g. 6000 6000 4, then 24000 24000 3).
import { RealEtcd, lineTimeMs } from '../src/validate/etcd-real.ts';
import { nowMs, sleep, withSupervisor } from '../src/validate/procs.ts';
const N = Number(process.argv[2] ?? 6000);
const KEYS = Number(process.argv[3] ?? N);
const TRIALS = Number(process.argv[4] ?? 4);
async function putMany(etcd: RealEtcd, target: number, count: number) {
  const url = `${etcd.clientUrl(target)}/v3/kv/put`;
  let next = 0;
  const worker = async () => { while (next < count) { const i = next++; const key = Buffer.from(`/snap/${i % KEYS}`).toString('base64');
    await fetch(url, { method: 'POST', body: JSON.stringify({ key, value: 'eA==' }) }).catch(() => undefined); } };
  await Promise.all(Array.from({ length: 64 }, worker));
}
const steps: [string, RegExp][] = [['restart', /restarting local member/], ['receiving', /receiving database snapshot/], ['received', /received and saved database snapshot/], ['applying', /"msg":"applying snapshot"/],
 ['opened', /"msg":"opened backend db"/], ['mvcc0', /restoring mvcc store/], ['mvcc1', /restored mvcc store/], ['v2', /restored v2 store/], ['peers0', /removing old peers from network/], ['applied', /"msg":"applied snapshot"/]];
for (let t = 0; t < TRIALS; t++) await withSupervisor(async (sup) => {
  const etcd = await RealEtcd.create(sup, { heartbeatMs: 100, electionMs: 1000, preVote: true, snapshotCount: 100 }, { netns: false });
  const lead = await etcd.waitStable(30000);
  await sleep(300);
  const f = (lead + 1) % 3;
  sup.signal(etcd.child(f), 'SIGKILL');
  await etcd.child(f).exited;
  await putMany(etcd, lead, N);
  const t1 = nowMs();
  const child = etcd.start(f);
  await child.waitLine(/"msg":"applied snapshot"/, t1, 20000);
  const out: string[] = [];
  let prev = NaN; let first = NaN;
  for (const [name, re] of steps) {
    const ls = child.linesSince(re, t1); const l = name === 'opened' ? ls[1] : ls[0];
    if (!l) { out.push(`${name}=?`); continue; }
    const ms = lineTimeMs(l); if (isNaN(first)) first = ms;
    out.push(`${name}+${(ms - (isNaN(prev) ? ms : prev)).toFixed(0)}`); prev = ms;
  }
  const sz = /"bytes":(\d+)/.exec(child.linesSince(/saved database snapshot to disk/, t1)[0]?.text ?? '')?.[1];
  const took = /"took":"([^"]+)"/.exec(child.linesSince(/"msg":"opened backend db"/, t1)[1]?.text ?? '')?.[1];
  console.log(`N=${N} keys=${KEYS} db=${sz} openTook=${took} total=${(prev - first).toFixed(0)} ms: ${out.join(' ')}`);
  await etcd.stopAll();
});

// How long real etcd's start-up takes, step by step, when a member restarts (etcdmain → embed.StartEtcd → etcdserver.NewServer), from its own log; the source of src/etcd/startup.ts.
// Run as root or a user who can start etcd: node --import tsx scripts/etcd-startup-steps.mts WRITES KEYS TRIALS [full] (e.g. 6000 6000 5 x: 6000 writes missed; 6000 6000 5 x before: 6000 writes before the kill, none missed).
import { RealEtcd, lineTimeMs } from '../src/validate/etcd-real.ts';
import { nowMs, sleep, withSupervisor } from '../src/validate/procs.ts';
const N = Number(process.argv[2] ?? 6000);
const KEYS = Number(process.argv[3] ?? N);
const TRIALS = Number(process.argv[4] ?? 4);
const FULL = process.argv[5] === 'full';
/** 'before': the writes land before the kill (a member restarting with a big WAL and database, missing nothing). */
const BEFORE = process.argv[6] === 'before';
async function putMany(etcd: RealEtcd, target: number, count: number) {
  const url = `${etcd.clientUrl(target)}/v3/kv/put`;
  let next = 0;
  const worker = async () => { while (next < count) { const i = next++; const key = Buffer.from(`/snap/${i % KEYS}`).toString('base64');
    await fetch(url, { method: 'POST', body: JSON.stringify({ key, value: 'eA==' }) }).catch(() => undefined); } };
  await Promise.all(Array.from({ length: 64 }, worker));
}
const steps: [string, RegExp][] = [['start', /starting an etcd server/], ['backend', /"msg":"opened backend db"/], ['restart', /restarting local member/],
  ['peer0', /starting remote peer/], ['peers', /started remote peer/], ['serverStart', /starting etcd server/], ['servePeer', /serving peer traffic/],
  ['peerActive', /peer became active/], ['received', /received and saved database snapshot/], ['applied', /"msg":"applied snapshot"/], ['published', /published local member/]];
for (let t = 0; t < TRIALS; t++) await withSupervisor(async (sup) => {
  const etcd = await RealEtcd.create(sup, { heartbeatMs: 100, electionMs: 1000, preVote: true, snapshotCount: 100 }, { netns: false });
  const lead = await etcd.waitStable(30000);
  await sleep(300);
  const f = (lead + 1) % 3;
  if (BEFORE) { await putMany(etcd, lead, N); await sleep(500); }
  sup.signal(etcd.child(f), 'SIGKILL');
  await etcd.child(f).exited;
  if (!BEFORE) await putMany(etcd, lead, N);
  const t1 = nowMs();
  const child = etcd.start(f);
  await child.waitLine(N > 0 && !BEFORE ? /"msg":"applied snapshot"/ : /published local member/, t1, 20000);
  await sleep(200);
  const all = child.linesSince(/./, t1);
  const first = all[0] ? lineTimeMs(all[0]) : NaN;
  if (FULL) for (const l of all) console.log(`${(lineTimeMs(l) - first).toFixed(0).padStart(5)} ${/"msg":"([^"]+)"/.exec(l.text)?.[1] ?? l.text.slice(0, 100)}`);
  const out = steps.map(([name, re]) => { const l = child.linesSince(re, t1)[0]; return `${name}=${l ? (lineTimeMs(l) - first).toFixed(0) : '?'}`; });
  const wal = child.linesSince(/restarting local member/, t1)[0]?.text;
  console.log(`N=${N} keys=${KEYS} ms from first line: ${out.join(' ')} ${/"commit-index":\d+/.exec(wal ?? '')?.[0] ?? ''}`);
  await etcd.stopAll();
});

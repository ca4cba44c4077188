// Help texts of the hasim command.

export const MAIN_HELP = `hasim — deterministic simulator of a highly available Kubernetes control plane

Usage: hasim <command> [options]

Commands:
  run <scenario>     simulate one scenario and print its report
  check <files|dirs> run scenarios over their seeds: expectations, invariants, golden traces
  compare <scenario> Monte Carlo comparison of topologies (stacked vs external): distributions
  sweep <scenario>   parameter sweep (--vary path=a..b[:step]), e.g. lease duration vs failover time
  cuts <scenario>    failure-domain cut sets: every set of up to k machines or zones failed together
  merge <shard.json>… join the shards of a compare or sweep into one report
  schema             print the JSON Schema of scenario files
  bench [name…]      run the performance benchmarks (kernel, etcd, cluster-day, cluster-5k)
  validate [case…]   run real etcd, haproxy and keepalived beside the model under the same faults
  help [command]     show help for a command

Exit codes: 0 ok (all expectations held), 1 an expectation or safety invariant failed,
2 bad input or usage, 3 internal error (a bug), 4 an output file could not be written
(nothing partial is left behind).
Scenarios live in scenarios/*.yaml; see README.md for the format.`;

export const RUN_HELP = `Usage: hasim run <scenario.yaml|json> [options]

Simulates one run of a scenario and prints a timeline of notable events, the availability
table and the leader table; evaluates the scenario's expect entries.

Options:
  --seed N                  seed of this run (default: the scenario's seed)
  --topology stacked|external   override cluster.topology
  --set path=value          override any scenario field by dotted path (repeatable),
                            e.g. --set params.leaderElection.leaseDuration=30s
  --json FILE|-             write the report as JSON to FILE (- for stdout)
  --trace FILE.jsonl        write the full event trace, one JSON object per line
  --quiet                   print nothing but errors (the exit code tells the outcome)
  --fast-forward            skip steady state between faults (SPEC §6): the same metrics in
                            distribution, far fewer events; the report says how much was skipped
  --narrate                 print the scenario's tour steps (text, highlights, questions with
                            answers) interleaved with the whole timeline, instead of the report
  -h, --help                this help`;

export const CHECK_HELP = `Usage: hasim check <files|dirs>… [options]

Runs every scenario (directories: their *.yaml, *.yml and *.json files, sorted) over its \`seeds\`,
evaluates its expect entries and the safety invariants, compares each run's timeline with its
golden trace, and prints a table (scenario, seed, assertion, bound, value, result).
If any file is invalid, every problem is reported and nothing runs (exit 2).

Expectations: { metric: availability.apiWrite, min: 0.97 } bounds a report metric;
{ always: "etcd.leadersInTerm <= 1" }, { never: … }, { sometimes: "availability.apiWrite < 1" } and
{ eventually: "leaders.all.led == 1", within: 30s, after: lastFault }, { recovers: … } check a
condition over the run's state; every kind takes after:/until: (start, ready, lastFault, fault:<i>,
fault:<i>.end, end or a time) and always/never take for: 6s (see README.md, "hasim check").
A scenario with a tour gets a "tour" row per seed: every step must come in that run, in the
order listed (see README.md, "Guided tours and the lesson path").

When a scenario with a random fault fails, its random failures are made explicit and shrunk to a
minimal schedule that still fails, written as <name>-shrunk-seed<N>.yaml.

Options:
  --topology a,b       run every file once per topology (stacked, external)
  --set path=value     override a field in every file (repeatable)
  --seeds 1..50        these seeds instead of each file's (also 1,4,9..12)
  --failures-only      only failing rows in the table
  --junit FILE         write JUnit XML (one testsuite per scenario, one testcase per seed × assertion)
  --junit-missing-goldens  list runs without a golden trace as skipped JUnit cases
  --golden-tolerance D golden lines that moved by at most D (e.g. 5ms) are not changes
  --update             write the golden traces (prints what changed: read it before committing)
  --golden-dir DIR     where golden traces live (default test/golden): DIR/<name>/seed-<n>.txt
  --shrink-dir DIR     where shrunk scenarios are written (default hasim-shrunk)
  --shrink-runs N      at most N re-runs per shrink (default 200; 0 turns shrinking off)
  -h, --help           this help

Exit codes: 0 everything passed, 1 an expectation, invariant or golden trace failed, 2 bad input,
4 an output file could not be written.`;

export const SCHEMA_HELP = `Usage: hasim schema

Prints the JSON Schema of scenario files (generated from the zod schema hasim validates with).`;

export const BENCH_HELP = `Usage: hasim bench [name…] [--json] [--simulated DURATION] [--runs N] [--no-fast-forward]

Runs the benchmarks (those of SPEC §6 by default, or those named) and prints one line each;
with --json, one JSON object per line. Benchmarks:
  kernel   10,000 periodic actors, 5M events, no-op handlers (target ≥ 3M events/s)
  etcd         5-member etcd cluster, 200 writes/s for 10 simulated minutes
  cluster-day  stacked, 3 masters, 100 workers, probes every 1 s, 1 simulated hour in detail
               (target ≤ 3 s, ≥ 1 M model events/s; the old 24 h in ≤ 10 s target is retired)
  cluster-5k   external, 5 masters, 5 etcd, 5,000 workers, 1 simulated hour in detail (no target: the
               old ≤ 30 s target is retired; zone-outage-5000 is the large-cluster target)
  zone-outage-5000  scenarios/large/zone-outage-5000.yaml: external, 5 masters, 5 etcd, 5,000 workers in
               3 zones, zone-3 powered off for 1 h, fast-forward on; wall time, events and peak
               memory (target ≤ 60 s on 2 cores)
  compare-1k   1,000 runs × stacked and external × 1 simulated hour, every machine failing at
               random (MTBF 1 h, MTTR 10 min), on every core with fast-forward (target ≤ 30 s)
  cuts-2       hasim cuts --max-failures 2 of the study cluster (8 and 11 machines), both topologies,
               every set event by event, on every core (target ≤ 30 s on 2 cores)
  study-year   (only when named) 100 runs × 2 topologies × 365 simulated days, MTBF 30 d,
               MTTR 2 h per machine
  load         (only when named) stacked, 3 masters, 100 workers, 500 external API requests/s
               (leastconn), 10 simulated minutes
--simulated shortens (or lengthens) the simulated time, e.g. 1h; --runs sets the number of runs
of the study benchmarks; --no-fast-forward runs them event by event.`;

export const COMPARE_HELP = `Usage: hasim compare <scenario> [options]

Runs the scenario N times per topology (seeds 1..N, the same seeds for every topology, with
cluster.topology forced; cluster.etcdMembers is ignored for stacked runs) and prints per topology the
distribution (mean, p50, p95, p99, min, max) of availability (also as nines, −log10(1−a)), API write
downtime, leaderless seconds, failover gaps per leader group (pooled over runs) and evictions, then
the difference of means between topologies paired by seed, with a 95 % confidence interval
(mean of differences ± 1.96·sd/√n). A progress bar with ETA is shown when stderr is a terminal.

Options:
  --topologies LIST   comma-separated, from stacked, external (default stacked,external)
  --runs N            runs per topology (default 100)
  --workers K         worker threads (default: number of CPUs); results do not depend on K
  --shard i/n         run only seeds s with (s−1) % n == i−1; combine the JSON shards with hasim merge
  --set path=value    override a scenario field in every run (repeatable)
  --json FILE|-       write the result (summaries and every run's raw values) as JSON
  --html FILE         write a self-contained HTML page with histograms and CDFs
  --quiet             print no table
  --no-fast-forward   simulate steady state event by event too (default: skip it between
                      faults; the metrics are the same in distribution, runs much faster)
  -h, --help          this help

Exit codes: 0 done, 1 a safety invariant was violated in some run, 2 bad input or usage,
4 an output file could not be written (checked before the study starts).`;

export const CUTS_HELP = `Usage: hasim cuts <scenario> [options]

For each topology, fails every set of up to k failure domains together (machines, or zones), once the
cluster has settled, restores them after D, and runs each set event by event (the scenario's own
faults are replaced). Reports which sets take down API writes, etcd quorum, each leader group and
workloads, for how long (extra downtime over the same run with no failure), and the minimal cut sets.
A set takes a service down when it is out at least D/2 longer than without the failure.

Options:
  --max-failures K    largest set size (default 2; at least 1, at most the number of domains)
  --for D             how long each set stays failed (default 60s)
  --at T              when the set fails (default 30s, after the pods run)
  --domain machine|zone   failure domains (default machine; zone needs cluster.zones > 1)
  --cap N             at most N sets per topology; with more, N are sampled (seeded) and the output says so (default 500)
  --topologies LIST   comma-separated, from stacked, external (default both)
  --workers K         worker threads (default: number of CPUs); results do not depend on K
  --set path=value    override a scenario field (repeatable)
  --json FILE|-       write every set's outcome as JSON
  --html FILE         write a self-contained HTML page with the tables
  --quiet             print no table
  -h, --help          this help

Exit codes: 0 done, 2 bad input or usage.`;

export const SWEEP_HELP = `Usage: hasim sweep <scenario> --vary path=a..b[:step] [--vary …] [options]

Runs the scenario over a grid of one or two fields and reports, per point, mean and p95 of
availability.apiWrite, the failover gap of each leader group and leaderless seconds. Values are
durations (--vary params.leaderElection.leaseDuration=5s..60s:5s), numbers (--vary cluster.masters=3..7:2)
or a comma list of values as --set takes them (--vary cluster.versions.kubernetes=1.28,1.32);
without a step, numbers go by 1 and durations in 5 equal steps. Points whose scenario is invalid
(e.g. leaseDuration not above renewDeadline) are listed as skipped with the reason. For a scenario
with load.limits and a fault it also reports the N+1 answer per point (p99 write latency, share of
429s, runs in which the verdict held): vary a load rate or client count to find the knee, e.g.
--vary load.clients.1.count=10..40:10.

Options:
  --vary path=a..b[:step]  the field to vary (once or twice; twice makes a grid)
  --vary path=x,y,z   the same over listed values (versions, topologies, …)
  --runs N            seeds 1..N per point (default 20)
  --workers K         worker threads (default: number of CPUs)
  --shard i/n         run only seeds s with (s−1) % n == i−1 (combine with hasim merge)
  --set path=value    override a scenario field in every run (repeatable)
  --json FILE|-       write the result as JSON
  --html FILE         write a self-contained HTML page with a line chart per metric
  --quiet             print no table
  --no-fast-forward   simulate steady state event by event too (default: skip it between
                      faults; the metrics are the same in distribution, runs much faster)
  -h, --help          this help`;

export const MERGE_HELP = `Usage: hasim merge <shard.json>… [--json F|-] [--html F] [--quiet]

Joins the --json shards of one hasim compare or hasim sweep (written with --shard i/n) into the
report that one unsharded run would have printed. Shards must come from the same scenario, --set,
--runs and topologies (or grid); a seed in two shards is an error, missing seeds a warning.`;

export const VALIDATE_HELP = `Usage: hasim validate [case…] [--trials N] [--json FILE] [--html FILE]

Runs real etcd, haproxy and keepalived (child processes on 127.0.0.1 or in network namespaces the
suite makes and removes) and the model under the same fault, N trials each (default 20), and
prints both distributions (min, p50, p95, max), the ratio of medians and the two-sample
Kolmogorov–Smirnov D. A case passes when the model median is within 20% of the real median.
Cases (all by default):
  etcd-kill-prevote  SIGKILL the leader of 3 members, pre-vote on: new leader, write gap
  etcd-kill          the same with pre-vote off
  etcd-sigterm       SIGTERM the leader: leadership transfer time, failed writes (expect none)
  etcd-isolate       cut the leader off (namespaces): its step-down, the majority's election
  etcd-snapshot      a follower down past the snapshot threshold: catch-up from a snapshot
  haproxy            HTTP /readyz checks: backend killed / black-holed → DOWN, back → UP
  keepalived         the VIP moving after the MASTER is cut off (3 × advert_int + skew)
Needs the Debian packages etcd-server, etcd-client, haproxy, keepalived and iproute2, and root
for the namespace cases (they are skipped, with the reason, where namespaces cannot be made).

Exit codes: 0 every case passed (or was skipped, or is a known disagreement), 1 a case failed,
2 bad usage or a missing binary.`;

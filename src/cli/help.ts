// Help texts of the hasim command.

export const MAIN_HELP = `hasim — deterministic simulator of a highly available Kubernetes control plane

Usage: hasim <command> [options]

Commands:
  run <scenario>     simulate one scenario and print its report
  check <files|dirs> run scenarios over their seeds: expectations, invariants, golden traces
  schema             print the JSON Schema of scenario files
  bench [name…]      run the performance benchmarks (kernel)
  help [command]     show help for a command

Exit codes: 0 ok (all expectations held), 1 an expectation or safety invariant failed,
2 bad input or usage.
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
  -h, --help                this help`;

export const CHECK_HELP = `Usage: hasim check <files|dirs>… [options]

Runs every scenario (directories: their *.yaml, *.yml and *.json files, sorted) over its \`seeds\`,
evaluates its expect entries and the safety invariants, compares each run's timeline with its
golden trace, and prints a table (scenario, seed, assertion, bound, value, result).
If any file is invalid, every problem is reported and nothing runs (exit 2).

Expectations: { metric: availability.apiWrite, min: 0.97 } bounds a report metric;
{ always: "etcd.leadersInTerm <= 1" }, { never: … }, { sometimes: "availability.apiWrite < 1" } and
{ eventually: "leaders.all.led == 1", within: 30s, after: lastFault|start|fault:<index> } check a
condition over the run's state (see README.md, "hasim check").

When a scenario with a random fault fails, its random failures are made explicit and shrunk to a
minimal schedule that still fails, written as <name>-shrunk-seed<N>.yaml.

Options:
  --junit FILE         write JUnit XML (one testsuite per scenario, one testcase per seed × assertion)
  --update             write the golden traces (prints what changed: read it before committing)
  --golden-dir DIR     where golden traces live (default test/golden): DIR/<name>/seed-<n>.txt
  --shrink-dir DIR     where shrunk scenarios are written (default hasim-shrunk)
  --shrink-runs N      at most N re-runs per shrink (default 200; 0 turns shrinking off)
  -h, --help           this help

Exit codes: 0 everything passed, 1 an expectation, invariant or golden trace failed, 2 bad input.`;

export const SCHEMA_HELP = `Usage: hasim schema

Prints the JSON Schema of scenario files (generated from the zod schema hasim validates with).`;

export const BENCH_HELP = `Usage: hasim bench [name…] [--json] [--simulated DURATION]

Runs the benchmarks (all, or those named) and prints one line each; with --json, one JSON
object per line. Benchmarks:
  kernel   10,000 periodic actors, 5M events, no-op handlers (target ≥ 3M events/s)
  etcd         5-member etcd cluster, 200 writes/s for 10 simulated minutes
  cluster-day  stacked, 3 masters, 100 workers, probes every 1 s, 24 simulated hours (target ≤ 10 s)
  cluster-5k   external, 5 masters, 5 etcd, 5,000 workers, 1 simulated hour (target ≤ 30 s)
--simulated shortens the cluster benchmarks (e.g. 1h) for a quick look.`;

// Help texts of the hasim command.

export const MAIN_HELP = `hasim — deterministic simulator of a highly available Kubernetes control plane

Usage: hasim <command> [options]

Commands:
  run <scenario>     simulate one scenario and print its report
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

export const SCHEMA_HELP = `Usage: hasim schema

Prints the JSON Schema of scenario files (generated from the zod schema hasim validates with).`;

export const BENCH_HELP = `Usage: hasim bench [name…] [--json]

Runs the benchmarks (all, or those named) and prints one line each; with --json, one JSON
object per line. Benchmarks:
  kernel   10,000 periodic actors, 5M events, no-op handlers (target ≥ 3M events/s)
  etcd     5-member etcd cluster, 200 writes/s for 10 simulated minutes`;

#!/usr/bin/env bash
# The README's worked study, regenerated: every table it quotes, from these commands (about 10 min on 2 cores).
# Usage: scripts/worked-study.sh [RUNS] [FIVE_RUNS] [MIX_RUNS] [PARTS]   (defaults 200, 100, 100, 12345); output to stdout.
# PARTS picks the sections to run (e.g. 2345 skips the first).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-200}
FIVE_RUNS=${2:-100}
MIX_RUNS=${3:-100}
PARTS=${4:-12345}
HASIM="node bin/hasim.mjs"

section() { printf '\n==== %s\n$ %s\n' "$1" "$2"; }
want() { [[ "$PARTS" == *"$1"* ]]; }

cmd="$HASIM compare scenarios/study-random-failures.yaml --runs $RUNS"
if want 1; then section "harsh: every machine MTBF 1 h, MTTR 10 min, 3 masters" "$cmd"; $cmd; fi

cmd="$HASIM compare scenarios/study-random-failures.yaml --runs $FIVE_RUNS --set cluster.masters=5 --set cluster.etcdMembers=5"
if want 2; then section "harsh, 5 masters (5 external etcd hosts)" "$cmd"; $cmd; fi

cmd="$HASIM compare examples/study-datacenter-mix.yaml --runs $MIX_RUNS"
if want 3; then section "realistic: datacenter failure mix, 30 days per run, 3 zones" "$cmd"; $cmd; fi

cmd="$HASIM cuts scenarios/study-random-failures.yaml --max-failures 2"
if want 4; then section "cut sets: every machine and pair of machines of the study cluster" "$cmd"; $cmd; fi

cmd="$HASIM cuts examples/study-datacenter-mix.yaml --domain zone --max-failures 2"
if want 5; then section "cut sets: zones of the 3-zone cluster" "$cmd"; $cmd; fi

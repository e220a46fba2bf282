#!/usr/bin/env bash
# Times Debian's lrsnash against `stratagem solve --method enumerate` (1 and 2 threads) on the
# same random integer games (payoffs 0..999, fixed seeds), checks that both find the same number
# of extreme equilibria, and prints a table of best-of-R wall times with ratios.
#
# usage: bench/compare_lrsnash.sh [BUILD_DIR] ; env SIZES=10,12,15 SEEDS=1,2,3 REPS=3
set -euo pipefail

BUILD=${1:-./build}
SIZES=${SIZES:-10,12,15}
SEEDS=${SEEDS:-1,2,3}
REPS=${REPS:-3}
STRATAGEM="$BUILD/stratagem"
GENERATOR="$BUILD/bench/pivoting_bench"
for tool in "$STRATAGEM" "$GENERATOR"; do
  [[ -x "$tool" ]] || { echo "missing $tool: build first (cmake --build $BUILD)" >&2; exit 2; }
done
command -v lrsnash >/dev/null || { echo "lrsnash not found (apt-get install lrslib)" >&2; exit 2; }

DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
"$GENERATOR" --write-games "$DIR" --sizes "$SIZES" --seeds "$SEEDS" >"$DIR/list"

# best_time CMD...: smallest wall time in seconds over REPS runs; the last run's stdout is kept
# in $DIR/out.
best_time() {
  local best="" start end t
  for ((r = 0; r < REPS; ++r)); do
    start=$(date +%s.%N)
    "$@" >"$DIR/out" 2>/dev/null
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  printf '%.4f' "$best"
}

count_ours() {
  python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["equilibria"]))' "$DIR/out"
}

status=0
printf '%-10s %5s %5s %10s %10s %10s %9s %9s\n' game lrs ours lrsnash_s ours_1t_s ours_2t_s \
  lrs/1t 1t/2t
while read -r stem; do
  name=$(basename "$stem")
  t_lrs=$(best_time lrsnash "$stem.lrs")
  n_lrs=$(sed -n 's/.*Number of equilibria found: *\([0-9]*\).*/\1/p' "$DIR/out")
  t_one=$(best_time "$STRATAGEM" solve "$stem.nfg" --method enumerate --threads 1 --format json)
  n_one=$(count_ours)
  t_two=$(best_time "$STRATAGEM" solve "$stem.nfg" --method enumerate --threads 2 --format json)
  n_two=$(count_ours)
  mark=""
  if [[ "$n_lrs" != "$n_one" || "$n_one" != "$n_two" ]]; then mark="  COUNT MISMATCH"; status=1; fi
  printf '%-10s %5s %5s %10s %10s %10s %9.2f %9.2f%s\n' "$name" "$n_lrs" "$n_one" "$t_lrs" \
    "$t_one" "$t_two" "$(echo "$t_lrs / $t_one" | bc -l)" "$(echo "$t_one / $t_two" | bc -l)" "$mark"
done <"$DIR/list"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
exit $status

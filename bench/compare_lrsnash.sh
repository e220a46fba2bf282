#!/usr/bin/env bash
# Times Debian's lrsnash against `stratagem solve --method enumerate` (1 and 2 threads) on the
# same random integer games (payoffs 0..999, fixed seeds), checks that both find the same number
# of extreme equilibria, and prints a table of best-of-R wall and CPU times with ratios. Also
# on identity coordination games of the COORD sizes (n x n: 2^n - 1 isolated equilibria).
#
# usage: bench/compare_lrsnash.sh [BUILD_DIR] ; env SIZES=10,12,15 SEEDS=1,2,3 REPS=3 COORD="10 11"
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
if ! command -v lrsnash >/dev/null; then
  echo "skipped: lrsnash not found (bash ../shared/anchors/setup.sh, or apt-get install lrslib)"
  exit 0
fi
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2; }

DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
"$GENERATOR" --write-games "$DIR" --sizes "$SIZES" --seeds "$SEEDS" >"$DIR/list"
# Identity coordination games (n x n: 2^n - 1 equilibria, each its own component), COORD sizes.
for n in ${COORD:-10 11}; do
  python3 - "$DIR/coord$n" "$n" <<'PY'
import sys
stem, n = sys.argv[1], int(sys.argv[2])
rows = [[1 if i == j else 0 for j in range(n)] for i in range(n)]
with open(stem + '.lrs', 'w') as f:
    f.write('%d %d\n\n' % (n, n))
    f.write(''.join(' '.join(map(str, r)) + '\n' for r in rows) + '\n')
    f.write(''.join(' '.join(map(str, r)) + '\n' for r in rows))
with open(stem + '.nfg', 'w') as f:
    f.write('NFG 1 R "coordination %d" { "1" "2" } { %d %d }\n' % (n, n, n))
    f.write(' '.join('%d %d' % (rows[i][j], rows[i][j]) for j in range(n) for i in range(n)) + '\n')
PY
  echo "$DIR/coord$n" >>"$DIR/list"
done

# best_time CMD...: "WALL CPU", the smallest wall-clock and the smallest CPU (user + system)
# seconds over REPS runs; the last run's stdout is kept in $DIR/out. CPU time shows the work
# done when other processes compete for the cores and wall times are noisy.
best_time() {
  local best_wall="" best_cpu="" wall cpu
  for ((r = 0; r < REPS; ++r)); do
    /usr/bin/time -f "%e %U %S" -o "$DIR/time" "$@" >"$DIR/out" 2>/dev/null
    read -r wall user sys <"$DIR/time"
    cpu=$(echo "$user + $sys" | bc -l)
    if [[ -z "$best_wall" ]] || (($(echo "$wall < $best_wall" | bc -l))); then best_wall=$wall; fi
    if [[ -z "$best_cpu" ]] || (($(echo "$cpu < $best_cpu" | bc -l))); then best_cpu=$cpu; fi
  done
  printf '%.2f %.2f' "$best_wall" "$best_cpu"
}

ratio() { printf '%.2f' "$(echo "$1 / ($2 + 0.005)" | bc -l)"; }

count_ours() {
  python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["equilibria"]))' "$DIR/out"
}

status=0
printf '%-8s %4s %4s | %8s %8s | %8s %8s | %8s %8s | %7s %7s %7s\n' game lrs ours \
  lrs_wall lrs_cpu 1t_wall 1t_cpu 2t_wall 2t_cpu lrs/1t lrs/1t 1t/2t
printf '%-8s %4s %4s | %8s %8s | %8s %8s | %8s %8s | %7s %7s %7s\n' "" eqs eqs s s s s s s \
  wall cpu wall
while read -r stem; do
  name=$(basename "$stem")
  read -r w_lrs c_lrs <<<"$(best_time lrsnash "$stem.lrs")"
  n_lrs=$(sed -n 's/.*Number of equilibria found: *\([0-9]*\).*/\1/p' "$DIR/out")
  read -r w_one c_one <<<"$(best_time "$STRATAGEM" solve "$stem.nfg" --method enumerate \
    --threads 1 --format json)"
  n_one=$(count_ours)
  read -r w_two c_two <<<"$(best_time "$STRATAGEM" solve "$stem.nfg" --method enumerate \
    --threads 2 --format json)"
  n_two=$(count_ours)
  mark=""
  if [[ "$n_lrs" != "$n_one" || "$n_one" != "$n_two" ]]; then mark="  COUNT MISMATCH"; status=1; fi
  printf '%-8s %4s %4s | %8s %8s | %8s %8s | %8s %8s | %7s %7s %7s%s\n' "$name" "$n_lrs" \
    "$n_one" "$w_lrs" "$c_lrs" "$w_one" "$c_one" "$w_two" "$c_two" "$(ratio "$w_lrs" "$w_one")" \
    "$(ratio "$c_lrs" "$c_one")" "$(ratio "$w_one" "$w_two")" "$mark"
done <"$DIR/list"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
exit $status

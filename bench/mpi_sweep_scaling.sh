#!/usr/bin/env bash
# End-to-end wall time of a distributed sweep against the same sweep in one plain process: a
# Monte Carlo sweep of the flagship scenario written to --out, run as
#   stratagem sweep SCENARIO --samples N --seed 42 --threads T --out F        (plain)
#   mpirun -np R stratagem sweep SCENARIO ... (same options)                   (R ranks)
# for each R in RANKS, with T threads per process. Times include everything the command does:
# MPI start-up, solving, journals, assembling and writing the output, the summary. Every output
# (the per-point file and the summary on stdout) must be byte-identical to the plain run's.
# Prints a table of wall and CPU seconds (the fastest of REPS runs of each command; CPU from
# getrusage of the child processes, mpirun's ranks included), the CPU seconds other processes
# used during that run (non-zero: the run shared the cores, and its wall time is not the
# machine's), and each command's speedup over the plain run.
# Rank counts above the number of cores run with --oversubscribe: they share the cores, so they
# show the cost of more ranks, not more speed.
#
# usage: bench/mpi_sweep_scaling.sh [BUILD_DIR]        (BUILD_DIR defaults to build/)
# environment:
#   SAMPLES    Monte Carlo points               (default 300000)
#   RANKS      rank counts to time               (default "1 2 4")
#   THREADS    --threads of every process        (default 1)
#   REPS       runs of each command              (default 3)
#   FORMAT     output format: csv or jsonl       (default csv)
#   SCENARIO   scenario file                     (default scenarios/japan_russia/kuril_bargaining.yaml)
#   MPIRUN_ARGS  extra mpirun options, e.g. "--mca pml ucx" (without a choice of messaging layer,
#              the MPI module asks Open MPI for ob1, which starts 0.2-0.3 s sooner here)
#
# Skips cleanly (message, exit 0) when mpirun is absent or the build has no MPI module. Exits 1
# when an output differs or a command fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-$ROOT/build}
SAMPLES=${SAMPLES:-300000}
RANKS=${RANKS:-1 2 4}
THREADS=${THREADS:-1}
REPS=${REPS:-3}
FORMAT=${FORMAT:-csv}
SCENARIO=${SCENARIO:-$ROOT/scenarios/japan_russia/kuril_bargaining.yaml}
STRATAGEM="$BUILD/stratagem"
PY=python3

if ! command -v mpirun >/dev/null 2>&1; then
  echo "skipped: mpirun not found (apt-get install openmpi-bin)"
  exit 0
fi
[[ -x "$STRATAGEM" ]] || { echo "missing $STRATAGEM: build first (cmake --build $BUILD)" >&2; exit 2; }
if [[ ! -f "$BUILD/libstratagem_mpi.so" ]]; then
  echo "skipped: $BUILD has no libstratagem_mpi.so (configure with -DSTRATAGEM_MPI=ON)"
  exit 0
fi
case "$FORMAT" in csv | jsonl) ;; *) echo "FORMAT must be csv or jsonl" >&2; exit 2 ;; esac

DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
CORES=$(nproc)
MPIRUN=(mpirun)
[[ $(id -u) -eq 0 ]] && MPIRUN+=(--allow-run-as-root)
read -r -a EXTRA_MPIRUN <<<"${MPIRUN_ARGS:-}"
MPIRUN+=("${EXTRA_MPIRUN[@]}")
SWEEP=(sweep "$SCENARIO" --samples "$SAMPLES" --seed 42 --threads "$THREADS" -q)

# best_time N OUT CMD...: "WALL CPU OTHER" of the run with the smallest wall-clock time over N
# runs: wall seconds, CPU seconds (user + system) of the command and its children, and CPU
# seconds that other processes used meanwhile (from /proc/stat; "-" without it), which shows
# whether the run competed for the cores. The command writes its per-point output to OUT
# (removed before each run) and its stdout (the summary) to OUT.summary.
best_time() {
  "$PY" - "$@" <<'EOF_TIME'
import os, resource, subprocess, sys, time
runs, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]

def busy_seconds():
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")

best = None
for _ in range(runs):
    if os.path.exists(out):
        os.remove(out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = busy_seconds()
    start = time.perf_counter()
    with open(out + ".summary", "wb") as f:
        done = subprocess.run(cmd + ["--out", out], stdout=f, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.stderr.write(f"failed ({done.returncode}): {' '.join(cmd)}\n" + done.stderr.decode())
        sys.exit(1)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    other = "-" if busy is None else f"{max(0.0, busy_seconds() - busy - cpu):.2f}"
    if best is None or wall < best[0]:
        best = (wall, cpu, other)
print(f"{best[0]:.2f} {best[1]:.2f} {best[2]}")
EOF_TIME
}

ratio() { "$PY" -c 'import sys; print(f"{float(sys.argv[1]) / max(float(sys.argv[2]), 1e-3):.2f}")' "$1" "$2"; }

echo "sweep: $(basename "$SCENARIO"), $SAMPLES Monte Carlo points, --threads $THREADS," \
  "--out *.$FORMAT; best of $REPS runs; $CORES cores"
printf '%-34s %8s %8s %8s %8s  %s\n' command wall_s cpu_s other_s speedup output
timing=$(best_time "$REPS" "$DIR/plain.$FORMAT" "$STRATAGEM" "${SWEEP[@]}") || exit 1
read -r w_plain c_plain o_plain <<<"$timing"
printf '%-34s %8s %8s %8s %8s  %s\n' "plain" "$w_plain" "$c_plain" "$o_plain" "1.00" \
  "$(wc -c <"$DIR/plain.$FORMAT") bytes"

status=0
for n in $RANKS; do
  extra=()
  label="mpirun -np $n"
  if ((n > CORES)); then
    extra=(--oversubscribe)
    label="$label --oversubscribe"
  fi
  out="$DIR/np$n.$FORMAT"
  timing=$(best_time "$REPS" "$out" "${MPIRUN[@]}" "${extra[@]}" -np "$n" "$STRATAGEM" \
    "${SWEEP[@]}") || exit 1
  read -r wall cpu other <<<"$timing"
  if cmp -s "$DIR/plain.$FORMAT" "$out" && cmp -s "$DIR/plain.$FORMAT.summary" "$out.summary"; then
    same="identical"
  else
    same="DIFFERS"
    status=1
  fi
  printf '%-34s %8s %8s %8s %8s  %s\n' "$label" "$wall" "$cpu" "$other" \
    "$(ratio "$w_plain" "$wall")" "$same"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((status != 0)); then
  echo "OUTPUTS DIFFER from the plain run's"
fi
exit "$status"

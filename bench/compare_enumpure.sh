#!/usr/bin/env bash
# Times Gambit's gambit-enumpure against `stratagem solve --method pure` on one large random
# strategic game (PLAYERS players x 2 actions, payoff form, integer payoffs 0..999 with one
# planted strict equilibrium whose payoffs are all 1000), checks that both print the same pure
# equilibria, and prints wall and CPU times with the ratio. `stratagem validate` (read the file
# and build the game, nothing else) is timed too, to separate reading from solving. With the
# default 16 players the file has 65,536 profiles and about 4 MB. Stratagem runs with
# --threads 1 (gambit-enumpure uses one core); its times are the best of REPS runs, Gambit's of
# one run (35 to 75 s of CPU at 16 players), measured with getrusage to the millisecond.
#
# usage: bench/compare_enumpure.sh [BUILD_DIR]        (BUILD_DIR defaults to build/)
# environment:
#   GAMBIT_BIN   Gambit binaries directory   (default ../shared/anchors/gambit-bin)
#   PLAYERS      number of players           (default 16; Gambit needs ~12 min at 18)
#   SEED         generator seed              (default 1)
#   REPS         runs of each Stratagem command (default 5)
#   GAME_OUT     also keep the generated .nfg at this path
#
# Skips cleanly (message, exit 0) when gambit-enumpure is absent. Exits 1 when the equilibria
# differ or a command fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-$ROOT/build}
GBIN=${GAMBIT_BIN:-$ROOT/../shared/anchors/gambit-bin}
PLAYERS=${PLAYERS:-16}
SEED=${SEED:-1}
REPS=${REPS:-5}
STRATAGEM="$BUILD/stratagem"
PY=${ANCHOR_PY:-/usr/bin/python3}
[[ -x "$PY" ]] || PY=python3

if [[ ! -x "$GBIN/gambit-enumpure" ]]; then
  echo "skipped: gambit-enumpure not found in $GBIN (set GAMBIT_BIN)"
  exit 0
fi
[[ -x "$STRATAGEM" ]] || { echo "missing $STRATAGEM: build first (cmake --build $BUILD)" >&2; exit 2; }

DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
GAME="$DIR/random_${PLAYERS}p_s${SEED}.nfg"

# Payoff-form .nfg, one profile per line, the first player's action changing fastest.
"$PY" - "$PLAYERS" "$SEED" "$GAME" <<'EOF'
import random, sys
players, seed, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
profiles = 2 ** players
planted = rng.randrange(profiles)
with open(path, "w") as f:
    names = " ".join(f'"Player {p + 1}"' for p in range(players))
    f.write(f'NFG 1 R "random {players} players seed {seed}" {{ {names} }}\n')
    f.write("{ " + " ".join(["2"] * players) + " }\n\n")
    lines = []
    for i in range(profiles):
        if i == planted:
            lines.append(" ".join(["1000"] * players))
        else:
            lines.append(" ".join(str(rng.randrange(1000)) for _ in range(players)))
    f.write("\n".join(lines) + "\n")
EOF
[[ -n "${GAME_OUT:-}" ]] && cp "$GAME" "$GAME_OUT"

# best_time N CMD...: "WALL CPU", the smallest wall-clock and the smallest CPU (user + system)
# seconds over N runs, to the millisecond (getrusage of the child); the last run's stdout is kept
# in $DIR/out. CPU time shows the work done when other processes compete for the cores.
best_time() {
  "$PY" - "$DIR/out" "$@" <<'EOF_TIME'
import resource, subprocess, sys, time
out, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
best_wall = best_cpu = float("inf")
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(out, "wb") as f:
        done = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.stderr.write(f"failed ({done.returncode}): {' '.join(cmd)}\n" + done.stderr.decode())
        sys.exit(1)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
print(f"{best_wall:.3f} {best_cpu:.3f}")
EOF_TIME
}

# ratio A B: A / B (B at least 1 ms), without decimals from 10 on.
ratio() {
  "$PY" -c 'import sys; r = float(sys.argv[1]) / max(float(sys.argv[2]), 1e-3)
print(f"{r:.0f}" if r >= 10 else f"{r:.1f}")' "$1" "$2"
}

# Equilibria as sorted lines of 0/1 entries: both tools print "NE,p1,p2,..." (Gambit as
# fractions "1"/"0", Stratagem as "1.000000" or fractions); round every entry to an integer.
normalize() {
  awk -F, '/^NE/ { s = "NE"; for (i = 2; i <= NF; ++i) s = s "," sprintf("%d", $i + 0.5); print s }' \
    "$1" | sort
}

echo "game: $PLAYERS players x 2 actions, $((1 << PLAYERS)) profiles, $(wc -c <"$GAME") bytes," \
  "seed $SEED"
timing=$(best_time "$REPS" "$STRATAGEM" validate "$GAME") || exit 1
read -r w_val c_val <<<"$timing"
timing=$(best_time "$REPS" "$STRATAGEM" solve "$GAME" --method pure --format gambit --threads 1) ||
  exit 1
read -r w_ours c_ours <<<"$timing"
normalize "$DIR/out" >"$DIR/ours"
timing=$(best_time 1 "$GBIN/gambit-enumpure" -q "$GAME") || exit 1
read -r w_gam c_gam <<<"$timing"
normalize "$DIR/out" >"$DIR/gambit"

printf '%-36s %9s %9s\n' command wall_s cpu_s
printf '%-36s %9s %9s\n' "stratagem validate" "$w_val" "$c_val"
printf '%-36s %9s %9s\n' "stratagem solve --method pure" "$w_ours" "$c_ours"
printf '%-36s %9s %9s\n' "gambit-enumpure -q" "$w_gam" "$c_gam"
echo "ratio gambit-enumpure / stratagem solve --method pure: $(ratio "$w_gam" "$w_ours")x wall," \
  "$(ratio "$c_gam" "$c_ours")x CPU"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

n_ours=$(wc -l <"$DIR/ours")
n_gam=$(wc -l <"$DIR/gambit")
if cmp -s "$DIR/ours" "$DIR/gambit"; then
  echo "equilibria: both print the same $n_ours pure equilibria"
else
  echo "EQUILIBRIA DIFFER: stratagem $n_ours, gambit $n_gam"
  diff "$DIR/ours" "$DIR/gambit" | head -20
  exit 1
fi

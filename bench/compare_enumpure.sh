#!/usr/bin/env bash
# Times Gambit's gambit-enumpure against `stratagem solve --method pure` on one large random
# strategic game (PLAYERS players x 2 actions, payoff form, integer payoffs 0..999 with one
# planted strict equilibrium whose payoffs are all 1000), checks that both print the same pure
# equilibria, and prints best-of-REPS wall and CPU times with the ratio. `stratagem validate`
# (read the file, build the game, nothing else) is timed too, to separate reading from solving.
# With the default 16 players the file has 65,536 profiles and about 4 MB.
#
# usage: bench/compare_enumpure.sh [BUILD_DIR]
# environment:
#   GAMBIT_BIN   Gambit binaries directory   (default ../shared/anchors/gambit-bin)
#   PLAYERS      number of players           (default 16; Gambit needs ~35 s at 16, ~12 min at 18)
#   SEED         generator seed              (default 1)
#   REPS         runs of each Stratagem command, best time kept (default 5; Gambit runs once)
#   GAME_OUT     also keep the generated .nfg at this path
#
# Skips cleanly (message, exit 0) when gambit-enumpure is absent.
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
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2; }
command -v bc >/dev/null || { echo "bc not found (apt-get install bc)" >&2; exit 2; }

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
# seconds over N runs; the last run's stdout is kept in $DIR/out.
best_time() {
  local n=$1 best_wall="" best_cpu="" wall user sys cpu
  shift
  for ((r = 0; r < n; ++r)); do
    /usr/bin/time -f "%e %U %S" -o "$DIR/time" "$@" >"$DIR/out" 2>"$DIR/err" || {
      echo "failed: $*" >&2
      cat "$DIR/err" >&2
      exit 1
    }
    read -r wall user sys <"$DIR/time"
    cpu=$(echo "$user + $sys" | bc -l)
    if [[ -z "$best_wall" ]] || (($(echo "$wall < $best_wall" | bc -l))); then best_wall=$wall; fi
    if [[ -z "$best_cpu" ]] || (($(echo "$cpu < $best_cpu" | bc -l))); then best_cpu=$cpu; fi
  done
  printf '%.3f %.3f' "$best_wall" "$best_cpu"
}

# Equilibria as sorted lines of 0/1 entries: both tools print "NE,p1,p2,..." (Gambit as
# fractions "1"/"0", Stratagem as "1.000000" or fractions); round every entry to an integer.
normalize() {
  awk -F, '/^NE/ { s = "NE"; for (i = 2; i <= NF; ++i) s = s "," sprintf("%d", $i + 0.5); print s }' \
    "$1" | sort
}

# /usr/bin/time reports 10 ms resolution; the ratio uses max(t, 0.01).
ratio() { printf '%.0f' "$(echo "r = $2; if (r < 0.01) r = 0.01; $1 / r" | bc -l)"; }

echo "game: $PLAYERS players x 2 actions, $((1 << PLAYERS)) profiles, $(wc -c <"$GAME") bytes," \
  "seed $SEED"
read -r w_val c_val <<<"$(best_time "$REPS" "$STRATAGEM" validate "$GAME")"
read -r w_ours c_ours <<<"$(best_time "$REPS" "$STRATAGEM" solve "$GAME" --method pure \
  --format gambit --threads 1)"
normalize "$DIR/out" >"$DIR/ours"
read -r w_gam c_gam <<<"$(best_time 1 "$GBIN/gambit-enumpure" -q "$GAME")"
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

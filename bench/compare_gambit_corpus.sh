#!/usr/bin/env bash
# Runs Gambit's game corpus (every .nfg/.efg file of the Gambit repository) through Stratagem and
# Gambit's command-line solvers side by side, and prints a summary table.
#
# usage: bench/compare_gambit_corpus.sh            (from anywhere; paths default relative to the
#                                                    repository root)
# environment:
#   GAMBIT_GAMES     corpus directory           (default ../shared/anchors/gambit-games)
#   GAMBIT_BIN       Gambit binaries directory  (default ../shared/anchors/gambit-bin)
#   STRATAGEM        Stratagem binary           (default build/stratagem)
#   CORPUS_TIMEOUT   seconds per command        (default 20; a timeout counts as a failure)
#   CORPUS_MEM_GB    memory cap, ulimit -v      (default 4; exceeding it counts as a failure)
#   CORPUS_FILTER    regex on the corpus-relative path, to run a subset (e.g. 'contrib/.*\.nfg')
#   CORPUS_OUT       output directory           (default /tmp/corpus)
#   CORPUS_THREADS   Stratagem --threads        (default 1: Gambit's tools use one core)
#   CORPUS_REPEATS   extra timed runs when both sides take < 0.5 s (default 4; the fastest of
#                    the runs is kept, the tools alternating: single runs of a few ms are noise)
#   CORPUS_VERBOSE=1 print one line per command pair while running
#   CORPUS_SUMMARY_ONLY=1  re-print the summary of an existing results.tsv without running
#
# Skips cleanly (message, exit 0) when the corpus or the Gambit tools are absent.
#
# Method pairs (Stratagem `solve --method M --format gambit` <-> Gambit tool):
#   pure            <-> gambit-enumpure -q (-S on trees: reduced strategic form)   all files
#   enumerate       <-> gambit-enummixed -q -d 10                                  two players
#   enumerate-exact <-> gambit-enummixed -q (fractions), Stratagem with --exact    two players
#   sequence-lcp    <-> gambit-lcp -q -d 10 (behaviour strategies)                 two-player trees
#   zero-sum        <-> gambit-lp -q -d 10                                         constant-sum
#   support-newton  <-> gambit-enumpoly -q -d 10 (-S on trees)                    n >= 2 players
#   subgame-perfect <-> (no Gambit tool: Stratagem's profiles are regret-checked)  trees
# For each file and pair: exit status (and first stderr line), number of equilibria, wall time of
# each side, whether the sets agree (probability vectors within 1e-6, fractions exactly), and an
# independent regret check of every printed profile. Trees: Stratagem's and Gambit's reduced
# normal forms are compared first; if they differ beyond a reordering of strategies, only counts
# are compared ("layout differs"). sequence-lcp/zero-sum agree when both sides' profiles are
# verified equilibria (and, for zero-sum, the values match); support-newton agrees when every
# profile enumpoly lists is among Stratagem's, all of which pass the regret check.
# Details: bench/compare_gambit_corpus.py.
#
# Output: $CORPUS_OUT/results.tsv (one row per file and pair: file, method, S status/count/time,
# G status/count/time, agree yes/no/n.a., regret checks, note, both command lines) and
# $CORPUS_OUT/summary.txt, also printed: files read by each side, agreement per method,
# disagreements, Stratagem failures and timeouts, and median/total time ratios (Stratagem/Gambit).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
GAMES=${GAMBIT_GAMES:-../shared/anchors/gambit-games}
GBIN=${GAMBIT_BIN:-../shared/anchors/gambit-bin}
STRATAGEM=${STRATAGEM:-build/stratagem}
TIMEOUT=${CORPUS_TIMEOUT:-20}
MEM_GB=${CORPUS_MEM_GB:-4}
OUT=${CORPUS_OUT:-/tmp/corpus}
PY=${ANCHOR_PY:-/usr/bin/python3}

if [[ ! -d "$GAMES" ]]; then
  echo "skipped: Gambit game corpus not found at $GAMES (set GAMBIT_GAMES)"
  exit 0
fi
for tool in gambit-enumpure gambit-enummixed gambit-lcp gambit-lp gambit-convert; do
  if [[ ! -x "$GBIN/$tool" ]]; then
    echo "skipped: $tool not found in $GBIN (set GAMBIT_BIN)"
    exit 0
  fi
done
[[ -x "$STRATAGEM" ]] || { echo "missing $STRATAGEM: build first, or set STRATAGEM" >&2; exit 2; }
command -v timeout >/dev/null || { echo "timeout (coreutils) not found" >&2; exit 2; }
[[ -x "$PY" ]] || PY=python3

# The cap applies to this shell's children: the helper and every solver it starts.
ulimit -v $((MEM_GB * 1024 * 1024))

args=(--games "$GAMES" --gambit-bin "$GBIN" --stratagem "$STRATAGEM" --out "$OUT"
      --timeout "$TIMEOUT" --threads "${CORPUS_THREADS:-1}" --filter "${CORPUS_FILTER:-}"
      --repeats "${CORPUS_REPEATS:-4}")
[[ -n "${CORPUS_VERBOSE:-}" ]] && args+=(-v)
[[ -n "${CORPUS_SUMMARY_ONLY:-}" ]] && args+=(--summary-only)
echo "corpus: $GAMES ($(find "$GAMES" -name '*.nfg' -o -name '*.efg' | wc -l) files)," \
  "timeout ${TIMEOUT}s, memory cap ${MEM_GB} GiB, Stratagem threads ${CORPUS_THREADS:-1}"
exec "$PY" "$ROOT/bench/compare_gambit_corpus.py" "${args[@]}"

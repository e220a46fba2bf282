#!/usr/bin/env bash
# Runs every libFuzzer harness for SECONDS on its corpus; see tests/fuzz/README.md.
#
#   tests/fuzz/run.sh SECONDS [BUILD_DIR]
#
# BUILD_DIR (default build-fuzz in the checkout) is a build configured with -DSTRATAGEM_FUZZ=ON and built
# with `--target stratagem_fuzzers`. Seeds are rebuilt from the shipped files on each run into
# BUILD_DIR/fuzz/seeds; the working corpus (BUILD_DIR/fuzz/corpus), crash artifacts
# (BUILD_DIR/fuzz/artifacts) and logs (BUILD_DIR/fuzz/logs) stay in the build directory.
#
# Environment:
#   FUZZ_HARNESSES  space-separated subset of harnesses to run (default: all)
#   FUZZ_TIMEOUT    per-input timeout in seconds (default 1)
#   FUZZ_SEED       libFuzzer's -seed (default 0: a random seed; CI uses 1)
#   FUZZ_FORK=1     keep going after a finding (-fork=1 -ignore_crashes=1 -ignore_timeouts=1
#                   -ignore_ooms=1), to collect several findings in one run
#
# A harness still running 120 s after SECONDS is killed (a timeout inside the ASan allocator can
# deadlock libFuzzer's timeout handler; see README).
#
# Prints per harness: executions, exec/s, findings. Exits 1 when any harness found something.
set -uo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [BUILD_DIR]" >&2
  exit 2
fi
seconds=$1
build=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${build:-$root/build-fuzz}
bin=$build/tests/fuzz
work=$build/fuzz
timeout_s=${FUZZ_TIMEOUT:-1}
all_harnesses="fuzz_scenario_normal fuzz_scenario_tree fuzz_scenario_repeated fuzz_formula fuzz_nfg fuzz_efg fuzz_game_json"
harnesses=${FUZZ_HARNESSES:-$all_harnesses}

for h in $harnesses; do
  if [[ ! -x $bin/$h ]]; then
    echo "missing $bin/$h: build with 'cmake --build $build --target stratagem_fuzzers -j1'" >&2
    exit 2
  fi
done

# --- seeds ---------------------------------------------------------------------------------------
seeds=$work/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{fuzz_scenario_normal,fuzz_scenario_tree,fuzz_scenario_repeated,fuzz_formula,fuzz_nfg,fuzz_efg,fuzz_game_json}

# Scenario files go to the harness of their kind (the `type:` under `game:`).
scenario_kind() {
  local kind
  kind=$(grep -m1 -E '^  type: *(normal|tree|repeated)\b' "$1" | sed -E 's/.*type: *([a-z]+).*/\1/')
  echo "${kind:-normal}"
}
while IFS= read -r -d '' f; do
  kind=$(scenario_kind "$f")
  cp "$f" "$seeds/fuzz_scenario_$kind/$(echo "${f#"$root"/}" | tr '/' '_')"
done < <(find "$root/scenarios" -name '*.yaml' -print0)
while IFS= read -r -d '' f; do
  case $f in
    *.nfg) cp "$f" "$seeds/fuzz_nfg/$(basename "$f")" ;;
    *.efg) cp "$f" "$seeds/fuzz_efg/$(basename "$f")" ;;
    *.json) cp "$f" "$seeds/fuzz_game_json/$(basename "$f")" ;;
  esac
done < <(find "$root/tests/data" -type f \( -name '*.nfg' -o -name '*.efg' -o -name '*.json' \) -print0)
# Inline fixtures of the unit tests: raw string literals R"(...)", R"yaml(...)yaml", ...
if command -v python3 > /dev/null; then
  python3 - "$root/tests" "$seeds" << 'EOF'
import pathlib, re, sys
tests, seeds = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for src in sorted(list(tests.glob("*.cpp")) + list(tests.glob("*.hpp"))):
    for m in re.finditer(r'R"([a-z]*)\((.*?)\)\1"', src.read_text(errors="replace"), re.S):
        text = m.group(2)
        head = text.lstrip()
        if head.startswith("NFG"):
            dest = "fuzz_nfg"
        elif head.startswith("EFG"):
            dest = "fuzz_efg"
        elif head.startswith("{"):
            dest = "fuzz_game_json"
        elif "stratagem: 1" in text:
            kind = re.search(r"^  type: *(normal|tree|repeated)\b", text, re.M)
            dest = "fuzz_scenario_" + (kind.group(1) if kind else "normal")
        else:
            continue
        n += 1
        (seeds / dest / f"{src.stem}_{n}").write_text(text)
EOF
fi
for kind in formula game_json efg scenario_tree scenario_repeated; do
  [[ -d $here/seeds/$kind ]] && cp "$here/seeds/$kind"/* "$seeds/fuzz_$kind/"
done

dict_for() {
  case $1 in
    fuzz_scenario_*) echo "$here/dict/scenario.dict" ;;
    fuzz_formula) echo "$here/dict/formula.dict" ;;
    fuzz_nfg) echo "$here/dict/nfg.dict" ;;
    fuzz_efg) echo "$here/dict/efg.dict" ;;
    fuzz_game_json) echo "$here/dict/game_json.dict" ;;
  esac
}

# --- runs ----------------------------------------------------------------------------------------
mkdir -p "$work/logs"
found_any=0
printf '%-24s %12s %8s  %s\n' harness executions exec/s findings
for h in $harnesses; do
  corpus=$work/corpus/$h
  artifacts=$work/artifacts/$h
  log=$work/logs/$h.log
  mkdir -p "$corpus" "$artifacts"
  stamp=$work/logs/.$h.start
  touch "$stamp"
  args=(-max_total_time="$seconds" -timeout="$timeout_s" -rss_limit_mb=2048 -malloc_limit_mb=1024
        -detect_leaks=1 -print_final_stats=1 -dict="$(dict_for "$h")"
        -artifact_prefix="$artifacts/" -seed="${FUZZ_SEED:-0}")
  if [[ ${FUZZ_FORK:-0} == 1 ]]; then
    args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    timeout -k 10 $((seconds + 120)) "$bin/$h" "${args[@]}" "$corpus" "$seeds/$h" > "$log" 2>&1
  status=$?
  if [[ ${FUZZ_FORK:-0} == 1 ]]; then
    # Fork mode: the parent's last "#N: cov: ... time: Ts ..." progress line; the exec/s it
    # prints is the last job's, so the average is computed here.
    line=$(grep -aE '^#[0-9]+: cov:' "$log" | tail -1)
    execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<< "$line")
    elapsed=$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<< "$line")
    rate=$([[ -n $execs && ${elapsed:-0} -gt 0 ]] && echo $((execs / elapsed)))
  else
    execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
    rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -1)
  fi
  # New artifacts are named crash-*, timeout-*, oom-*, leak-* or slow-unit-*.
  new=$(find "$artifacts" -type f -newer "$stamp" -printf '%f\n')
  summary="none"
  if [[ -n $new ]] || { [[ ${FUZZ_FORK:-0} != 1 ]] && ((status != 0)); }; then
    found_any=1
    summary=$(sed -E '/^$/d; s/-[0-9a-f]{40}$//' <<< "$new" | sort | uniq -c |
              awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')
    summary="${summary:-exit $status} (see $artifacts, $log)"
  fi
  printf '%-24s %12s %8s  %s\n' "$h" "${execs:-?}" "${rate:-?}" "$summary"
done
exit $found_any

// libFuzzer harness: Gambit .nfg games (engine/io/nfg.cpp). The input is the
// file text; parse_nfg is the in-memory twin of read_nfg, which load_game
// calls, with the same default game limits. After a parse: validate, a bounded
// solve, and `stratagem convert`'s round trips (write_nfg and game_to_json must
// read back to the same game, game_to_scenario_yaml must load).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "fuzz_roundtrip.hpp"
#include "stratagem/io/nfg.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  stratagem::fuzz::limit_threads();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stratagem;
  return fuzz::run_text(data, size, [](const std::string& text) {
    const NormalFormGame game = parse_nfg(text, "fuzz.nfg");
    fuzz::drive_strategic(game);
    fuzz::check_strategic_round_trips(game);
  });
}

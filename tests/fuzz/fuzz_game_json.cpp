// libFuzzer harness: game JSON files (include/stratagem/io/game_json.hpp). The
// input is the document text, read by read_game_json as load_game does for a
// .json file, with the default game limits. After a parse: validate, a bounded
// solve, and the round trips of `stratagem convert` (fuzz_roundtrip.hpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "fuzz_roundtrip.hpp"
#include "stratagem/io/game_json.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  stratagem::fuzz::limit_threads();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stratagem;
  return fuzz::run_text(data, size, [](const std::string& text) {
    const NormalFormGame game = read_game_json(text, "fuzz.json");
    fuzz::drive_strategic(game);
    fuzz::check_strategic_round_trips(game);
  });
}

// libFuzzer harness: Gambit .efg game trees (engine/io/efg.cpp). The input is
// the file text; parse_efg is the in-memory twin of read_efg, which load_game
// calls. After a parse: validate, `stratagem tree` and a bounded solve
// (fuzz_common.hpp), and the .efg round trip of `stratagem convert` (write_efg
// must read back to an equal tree).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "fuzz_roundtrip.hpp"
#include "stratagem/io/efg.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  stratagem::fuzz::limit_threads();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stratagem;
  return fuzz::run_text(data, size, [](const std::string& text) {
    const GameTree tree = parse_efg(text, "fuzz.efg");
    fuzz::drive_tree(tree);
    fuzz::check_tree_round_trip(tree);
  });
}

// `stratagem convert FILE --to nfg|json|yaml|efg|dot [-o OUT]`.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/io/game_json.hpp"
#include "stratagem/io/nfg.hpp"
#include "stratagem/io/tree_dot.hpp"
#include "stratagem/io/tree_report.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {

int run_convert(const std::vector<std::string>& args) {
  po::options_description desc("stratagem convert FILE --to nfg|json|yaml|efg|dot [options]");
  std::string file, to, out_path;
  std::vector<std::string> sets;
  desc.add_options()("help,h", "show this help")(
      "to", po::value(&to),
      "nfg (Gambit), json (game JSON; for a tree, the tree's nodes and information sets), yaml "
      "(scenario with payoffs:), efg (Gambit tree) or dot (Graphviz drawing of a tree); a tree "
      "becomes its reduced normal form for nfg and yaml")(
      "output,o", po::value(&out_path), "write to this file instead of standard output")(
      "set", po::value(&sets), "override a scenario parameter before converting (repeatable)")(
      "allow-outside-range", "accept --set values outside the declared range")(
      "file", po::value(&file), "input file");
  const auto parsed = parse_command_line(args, desc, file, "missing FILE");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (to != "nfg" && to != "json" && to != "yaml" && to != "efg" && to != "dot") {
    throw UsageError(fmt::format("--to must be nfg, json, yaml, efg or dot (got '{}')", to));
  }
  const std::string ext = std::filesystem::path(file).extension().string();
  if ((to == "efg" || to == "dot") && (ext == ".nfg" || ext == ".json")) {
    throw UsageError(fmt::format("--to {} needs a game tree (a type: tree scenario or a .efg file); "
                                 "'{}' is a strategic-form game", to, file));
  }
  const LoadedGame loaded = load_game(file, sets, vm.count("allow-outside-range") > 0);
  if ((to == "efg" || to == "dot") && !loaded.tree) {
    throw UsageError(fmt::format(
        "--to {} needs a game tree (a type: tree scenario or a .efg file) as input", to));
  }
  std::string text;
  if (to == "efg") {
    text = write_efg(*loaded.tree);
  } else if (to == "dot") {
    text = write_dot(*loaded.tree);
  } else if (to == "json" && loaded.tree) {
    text = tree_to_json(*loaded.tree).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else if (to == "nfg") {
    text = write_nfg(loaded.strategic());
  } else if (to == "json") {
    text = game_to_json(loaded.strategic()).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else {
    text = game_to_scenario_yaml(loaded.strategic());
  }
  if (out_path.empty()) {
    std::cout << text;
  } else {
    write_text_file(out_path, text);
  }
  return kExitOk;
}

}  // namespace stratagem::cli

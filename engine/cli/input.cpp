#include <filesystem>
#include <iostream>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "stratagem/io/game_json.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/io/nfg.hpp"

namespace stratagem::cli {
namespace {

std::string extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}


}  // namespace

void LoadedGame::ensure_strategic() {
  if (!tree || game != nullptr || !reduced_error.empty()) return;
  try {
    game = std::make_unique<NormalFormGame>(reduced_normal_form(*tree));
  } catch (const InvalidGame& e) {
    reduced_error = e.what();
  }
}

const NormalFormGame& LoadedGame::strategic() const {
  if (game == nullptr && tree && reduced_error.empty()) {
    throw std::logic_error("the tree's reduced normal form was not built (ensure_strategic)");
  }
  if (game == nullptr) {
    throw InputError({path, 0, 0},
                     fmt::format("the tree's reduced normal form is not available: {}", reduced_error),
                     "use a tree method (backward-induction, subgame-perfect, sequence-lcp)");
  }
  return *game;
}

std::optional<boost::program_options::variables_map> parse_command_line(
    const std::vector<std::string>& args, const boost::program_options::options_description& desc,
    const std::string& file, const std::string& missing_file) {
  namespace po = boost::program_options;
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return std::nullopt;
  }
  if (file.empty()) throw UsageError(missing_file);
  return vm;
}

LoadedGame load_game(const std::string& path, const std::vector<std::string>& sets,
                     bool allow_outside_range, bool reduce_tree) {
  LoadedGame loaded;
  loaded.path = path;
  const std::string ext = extension(path);
  if (std::filesystem::is_directory(path)) {
    throw InputError({path, 0, 0}, "is a directory", "name a .yaml, .nfg or .json file");
  }
  if (ext == ".efg") {  // a game tree, with its reduced normal form when that fits
    if (!sets.empty()) {
      throw InputError({"--set", 0, 0}, fmt::format("'{}' has no parameters to set", path),
                       "--set works with scenario files (.yaml)");
    }
    loaded.kind = "efg";
    loaded.tree = std::make_shared<const GameTree>(read_efg(path));
    if (reduce_tree) loaded.ensure_strategic();
    loaded.labels = loaded.tree->player_names();
    loaded.title = loaded.tree->title();
    return loaded;
  }
  if (ext == ".nfg" || ext == ".json") {
    if (!sets.empty()) {
      throw InputError({"--set", 0, 0}, fmt::format("'{}' has no parameters to set", path),
                       "--set works with scenario files (.yaml)");
    }
    const std::string text = read_input_file(path, "check the path; scenarios live in scenarios/, e.g. scenarios/classic/");
    loaded.kind = ext == ".nfg" ? "nfg" : "json";
    loaded.game = std::make_unique<NormalFormGame>(ext == ".nfg" ? parse_nfg(text, path)
                                                                 : read_game_json(text, path));
    loaded.labels = loaded.game->player_names();
    loaded.title = loaded.game->title();
    return loaded;
  }
  loaded.kind = "scenario";
  loaded.scenario.emplace(Scenario::load(path));
  ParameterValues overrides;
  for (const auto& s : sets) {
    auto [name, value] = parse_assignment(s, "--set");
    overrides[name] = value;
  }
  loaded.parameters = loaded.scenario->with_overrides(overrides, allow_outside_range);
  if (loaded.scenario->game_type() == "tree") {
    loaded.tree = std::make_shared<const GameTree>(loaded.scenario->bind_tree(loaded.parameters));
    if (reduce_tree) loaded.ensure_strategic();
  } else {
    loaded.game = std::make_unique<NormalFormGame>(loaded.scenario->bind(loaded.parameters));
  }
  loaded.labels = loaded.scenario->actor_names();
  loaded.title = loaded.scenario->name();
  return loaded;
}

}  // namespace stratagem::cli

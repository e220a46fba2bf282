#include "reference_games.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "stratagem/io/nfg.hpp"


namespace stratagem {
namespace {

namespace fs = std::filesystem;

double parse_decimal(std::string_view text, const std::string& whole) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    throw std::invalid_argument("not a number or fraction: '" + whole + "'");
  }
  return value;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::string reference_dir() { return std::string(STRATAGEM_SOURCE_DIR) + "/tests/data/reference"; }

double parse_fraction(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return parse_decimal(text, text);
  const double num = parse_decimal(std::string_view(text).substr(0, slash), text);
  const double den = parse_decimal(std::string_view(text).substr(slash + 1), text);
  if (den == 0.0) throw std::invalid_argument("zero denominator in '" + text + "'");
  return num / den;
}

std::vector<ReferenceGame> load_reference_games() {
  const fs::path dir = reference_dir();
  if (!fs::is_directory(dir)) {
    throw std::runtime_error("reference games directory not found: " + dir.string() +
                             " (it ships with the repository: is the checkout complete?)");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".nfg") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());

  std::vector<ReferenceGame> games;
  for (const auto& nfg : files) {
    fs::path json_path = nfg;
    json_path.replace_extension(".json");
    nlohmann::json answers;
    try {
      answers = nlohmann::json::parse(read_text(json_path));
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(json_path.string() + ": " + e.what());
    }
    ReferenceGame ref{.name = nfg.stem().string(),
                      .game = read_nfg(nfg.string()),
                      .equilibria = {},
                      .exact = {},
                      .pure_equilibria = {},
                      .degenerate = answers.value("degenerate_possible", true)};

    if (answers.contains("equilibria")) {
      ref.exact =
          answers.at("equilibria").get<std::vector<std::vector<std::vector<std::string>>>>();
      for (const auto& eq : ref.exact) {
        if (static_cast<int>(eq.size()) != ref.game.num_players()) {
          throw std::runtime_error(json_path.string() + ": equilibrium with wrong player count");
        }
        std::vector<std::vector<double>> probabilities;
        std::vector<int> pure;
        for (int p = 0; p < ref.game.num_players(); ++p) {
          if (static_cast<int>(eq[p].size()) != ref.game.num_actions(p)) {
            throw std::runtime_error(json_path.string() + ": equilibrium with wrong action count");
          }
          std::vector<double> row;
          for (const auto& s : eq[p]) row.push_back(parse_fraction(s));
          const auto one = std::find(row.begin(), row.end(), 1.0);
          if (one != row.end()) pure.push_back(static_cast<int>(one - row.begin()));
          probabilities.push_back(std::move(row));
        }
        if (static_cast<int>(pure.size()) == ref.game.num_players()) {
          ref.pure_equilibria.push_back(std::move(pure));
        }
        ref.equilibria.emplace_back(probabilities);
      }
    }
    if (answers.contains("pure_equilibria")) {
      ref.pure_equilibria = answers.at("pure_equilibria").get<std::vector<std::vector<int>>>();
    }
    games.push_back(std::move(ref));
  }
  if (games.empty()) throw std::runtime_error("no .nfg files in " + dir.string());
  return games;
}

}  // namespace stratagem

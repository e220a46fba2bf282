#include "scenario/formula.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include <dlfcn.h>

#include "platform/module.hpp"
#include "scenario/formula_module.hpp"

// Where the build put the module (set by CMakeLists.txt).
#ifndef STRATAGEM_FORMULA_MODULE_BUILT
#define STRATAGEM_FORMULA_MODULE_BUILT nullptr
#endif

namespace stratagem::scenario_detail {

namespace {

/// The formula module's functions, loaded on first use (thread-safe). Throws
/// std::runtime_error when it cannot be loaded.
const formula_module::Api& api() {
  static const formula_module::Api* const loaded = [] {
    std::string tried;
    void* handle = platform::open_module("libstratagem_formula.so", "STRATAGEM_FORMULA_MODULE",
                                         STRATAGEM_FORMULA_MODULE_BUILT,
                                         RTLD_NOW | RTLD_LOCAL, tried);
    const auto fail = [&](const std::string& why) {
      return std::runtime_error(
          "cannot load the formula module libstratagem_formula.so (" + why +
          "); keep it next to the stratagem executable or name it in STRATAGEM_FORMULA_MODULE");
    };
    if (handle == nullptr) throw fail("tried " + tried);
    using Entry = const formula_module::Api* (*)();
    const auto entry = reinterpret_cast<Entry>(dlsym(handle, "stratagem_formula_api"));
    const formula_module::Api* table = entry != nullptr ? entry() : nullptr;
    if (table == nullptr) throw fail("it has no stratagem_formula_api");
    if (table->version != formula_module::kVersion) {
      throw fail(fmt::format("it is version {}, this executable needs {}: rebuild both",
                             table->version, formula_module::kVersion));
    }
    return table;
  }();
  return *loaded;
}

SourceMark shifted(const SourceMark& mark, int offset) {
  SourceMark result = mark;
  if (result.column > 0 && offset > 0) result.column += offset;
  return result;
}

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// Position of a lone '=' (assignment) outside string literals, or npos.
std::size_t find_assignment(const std::string& text) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') in_string = !in_string;
    if (in_string || c != '=') continue;
    const char prev = i > 0 ? text[i - 1] : ' ';
    const char next = i + 1 < text.size() ? text[i + 1] : ' ';
    if (next == '=') {
      ++i;  // '==' or the first half of a comparison
      continue;
    }
    if (prev == '<' || prev == '>' || prev == '!' || prev == '=') continue;
    return i;
  }
  return std::string::npos;
}

/// Position of `name` as a whole word in `text`, or 0.
int position_of_name(const std::string& text, const std::string& name) {
  std::size_t from = 0;
  while (true) {
    const std::size_t at = text.find(name, from);
    if (at == std::string::npos) return 0;
    const bool left_ok = at == 0 || !is_name_char(text[at - 1]);
    const bool right_ok = at + name.size() >= text.size() || !is_name_char(text[at + name.size()]);
    if (left_ok && right_ok) return static_cast<int>(at);
    from = at + 1;
  }
}

/// muparser's message without its " at position N" (the column says where).
std::string clean_message(const std::string& message) {
  std::string result = message;
  const std::size_t at = result.find(" at position ");
  if (at != std::string::npos) {
    std::size_t end = at + 13;
    while (end < result.size() && std::isdigit(static_cast<unsigned char>(result[end]))) ++end;
    result.erase(at, end - at);
  }
  while (!result.empty() && (result.back() == '.' || result.back() == ' ')) result.pop_back();
  if (!result.empty())
    result[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(result[0])));
  return result;
}

std::string list_names(const std::vector<std::string>& names) {
  if (names.empty()) return "(none defined)";
  std::string text;
  const std::size_t shown = std::min<std::size_t>(names.size(), 12);
  for (std::size_t i = 0; i < shown; ++i) text += (i ? ", " : "") + names[i];
  if (shown < names.size()) text += fmt::format(", ... ({} in all)", names.size());
  return text;
}

}  // namespace

Formula Formula::number(double value, SourceMark mark) {
  Formula f;
  f.text = fmt::format("{}", value);
  f.mark = std::move(mark);
  f.constant = value;
  return f;
}

std::optional<double> parse_number(const std::string& text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  if (begin < end && text[begin] == '+') ++begin;
  if (begin == end) return std::nullopt;
  // Only decimal digits, sign, point and exponent: no "inf", "nan" or hex.
  for (std::size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' ||
          c == 'e' || c == 'E')) {
      return std::nullopt;
    }
  }
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data() + begin, text.data() + end, value);
  if (ec != std::errc() || ptr != text.data() + end || !std::isfinite(value)) return std::nullopt;
  return value;
}

Formula make_formula(std::string text, SourceMark mark) {
  Formula f;
  f.constant = parse_number(text);
  f.text = std::move(text);
  f.mark = std::move(mark);
  return f;
}

const std::vector<std::string>& reserved_names() {
  static const std::vector<std::string> names = [] {
    return api().reserved_names();
  }();
  return names;
}

bool is_identifier(const std::string& name) {
  if (name.empty() || !is_name_start(name[0])) return false;
  return std::all_of(name.begin(), name.end(), is_name_char);
}

void check_formula(Formula& formula, const std::vector<std::string>& known) {
  formula.names.clear();
  if (formula.constant) return;
  const std::string& text = formula.text;
  const std::string quoted = fmt::format("'{}'", text);
  if (const std::size_t at = find_assignment(text); at != std::string::npos) {
    throw InputError(shifted(formula.mark, static_cast<int>(at)),
                     fmt::format("assignment '=' in formula {}", quoted),
                     "formulas cannot assign; write '==' to compare");
  }
  std::vector<std::string> used;
  int results = 0;
  formula_module::Failure e;
  if (api().check(text, known, used, results, e)) {
    if (results != 1) {
      const std::size_t comma = text.find(',');
      throw InputError(
          shifted(formula.mark, comma == std::string::npos ? 0 : static_cast<int>(comma)),
          fmt::format("formula {} has {} comma-separated results", quoted, results),
          "write a single expression; commas only separate function arguments");
    }
    formula.names = std::move(used);
  } else {
    const int pos = std::max(0, e.pos);
    const SourceMark where = shifted(formula.mark, pos);
    const std::string& token = e.token;
    if (e.unknown_name && is_identifier(token) &&
        std::find(known.begin(), known.end(), token) == known.end()) {
      const std::size_t after = static_cast<std::size_t>(pos) + token.size();
      std::size_t next = after;
      while (next < text.size() && text[next] == ' ') ++next;
      if (next < text.size() && text[next] == '(') {
        throw InputError(
            where,
            fmt::format("unknown function '{}' in formula {}{}", token, quoted,
                        did_you_mean(token, reserved_names())),
            fmt::format("available functions and constants: {}", list_names(reserved_names())));
      }
      std::vector<std::string> candidates = known;
      candidates.insert(candidates.end(), reserved_names().begin(), reserved_names().end());
      throw InputError(where,
                       fmt::format("unknown name '{}' in formula {}{}", token, quoted,
                                   did_you_mean(token, candidates)),
                       fmt::format("use a parameter or attribute ({}), or declare '{}' under "
                                   "parameters:",
                                   list_names(known), token));
    }
    throw InputError(
        where, fmt::format("syntax error in formula {}: {}", quoted, clean_message(e.message)),
        "formulas use + - * / ^, comparisons, && || !, c ? a : b, min(), max() "
        "and names of parameters");
  }
}

void require_names(const Formula& formula, const std::vector<std::string>& allowed,
                   const std::string& why) {
  for (const auto& name : formula.names) {
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    throw InputError(
        shifted(formula.mark, position_of_name(formula.text, name)),
        fmt::format("'{}' cannot be used in formula '{}' here: {}", name, formula.text, why),
        allowed.empty() ? std::string("write a number")
                        : fmt::format("use only: {}", list_names(allowed)));
  }
}

void require_finite(const Formula& formula, double value, const std::string& where) {
  if (std::isfinite(value)) return;
  const char* what = std::isnan(value) ? "NaN" : (value > 0 ? "infinity" : "-infinity");
  throw InputError(formula.mark,
                   fmt::format("formula '{}' evaluates to {} {}", formula.text, what, where),
                   "avoid division by zero and out-of-domain arguments (sqrt, log) at these "
                   "values, e.g. with a guard like 'x != 0 ? y / x : 0'");
}

CompiledFormula::CompiledFormula(const Formula& formula,
                                 const std::map<std::string, double*>& variables)
    : source_(&formula) {
  if (formula.constant) {
    constant_ = *formula.constant;
    return;
  }
  std::vector<std::pair<std::string, double*>> bound;
  for (const auto& name : formula.names) {
    const auto it = variables.find(name);
    if (it == variables.end()) throw std::logic_error("formula variable without storage: " + name);
    bound.emplace_back(name, it->second);
  }
  const formula_module::Api& module = api();
  formula_module::Failure e;
  void* compiled = module.compile(formula.text, bound, e);
  if (compiled == nullptr) {
    throw InputError(formula.mark,
                     fmt::format("formula '{}': {}", formula.text, clean_message(e.message)));
  }
  compiled_ = std::unique_ptr<void, void (*)(void*)>(compiled, module.destroy);
  eval_ = module.eval;
}

CompiledFormula::~CompiledFormula() = default;
CompiledFormula::CompiledFormula(CompiledFormula&&) noexcept = default;
CompiledFormula& CompiledFormula::operator=(CompiledFormula&&) noexcept = default;

double CompiledFormula::eval() const {
  if (!compiled_) return constant_;
  double value = 0.0;
  formula_module::Failure e;
  if (eval_(compiled_.get(), value, e)) return value;
  throw InputError(source_->mark, fmt::format("formula '{}' failed: {}", source_->text,
                                              clean_message(e.message)));
}

double evaluate_once(const Formula& formula, const std::map<std::string, double>& values,
                     const std::string& where) {
  if (formula.constant) return *formula.constant;
  std::vector<double> storage;
  storage.reserve(formula.names.size());
  std::map<std::string, double*> addresses;
  for (const auto& name : formula.names) {
    const auto it = values.find(name);
    storage.push_back(it == values.end() ? 0.0 : it->second);
    addresses[name] = &storage.back();
  }
  const CompiledFormula compiled(formula, addresses);
  const double value = compiled.eval();
  require_finite(formula, value, where);
  return value;
}

}  // namespace stratagem::scenario_detail

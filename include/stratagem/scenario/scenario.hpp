#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/scenario/error.hpp"

namespace stratagem {

/// Parameter values by name.
using ParameterValues = std::map<std::string, double>;

/// A probability distribution declared for a parameter (used by Monte Carlo sweeps).
struct Distribution {
  std::string kind;            ///< uniform | normal | triangular | beta | choice
  std::vector<double> args;    ///< kind-specific arguments, as written
  std::vector<double> weights; ///< choice: weights (empty = equal)
  std::optional<std::pair<double, double>> truncate;  ///< normal: optional truncation
  SourceMark mark;
};

/// A named, documented number that formulas may use and users may override or sweep.
struct Parameter {
  std::string name;
  double value = 0.0;
  std::optional<std::pair<double, double>> range;
  std::optional<Distribution> distribution;
  std::string unit;
  std::string doc;
  SourceMark mark;
};

/// One equilibrium as written in an `expect:` block: per actor, move -> probability
/// (a pure move is probability 1). For a tree method on a tree scenario the keys are
/// information-set labels instead of actors (see Expectation::by_infoset).
using ExpectedProfile = std::map<std::string, std::map<std::string, double>>;

/// One assertion of an `expect:` block, evaluated by `stratagem check`.
struct Expectation {
  std::string method;                  ///< solver name
  ParameterValues at;                  ///< parameter overrides for this check
  /// Exact set of equilibria expected (when `exact_set`), or equilibria that must be included.
  std::vector<ExpectedProfile> equilibria;
  bool exact_set = true;               ///< `equilibria:` (true) vs `includes:` (false)
  std::optional<int> count;            ///< `count:` number of equilibria expected
  /// `survivors:` for dominance: actor -> surviving moves.
  std::optional<std::map<std::string, std::vector<std::string>>> survivors;
  double tolerance = 1e-6;             ///< probability tolerance when comparing
  /// True when `equilibria` are keyed by information-set label and compared as behaviour
  /// strategies (a tree method on a `type: tree` scenario); only the named sets are compared.
  bool by_infoset = false;
  SourceMark mark;
};

class CompiledScenario;

/// A parsed, validated scenario file (DESIGN.md §5). Immutable; safe to share between threads.
/// Formulas are syntax-checked at load; numbers come from compile() + bind().
class Scenario {
 public:
  /// Reads and validates a scenario file. Throws InputError naming file:line:column and a fix.
  [[nodiscard]] static Scenario load(const std::string& path);
  /// Same, from text; `filename` is used in messages.
  [[nodiscard]] static Scenario parse(const std::string& text, const std::string& filename);

  ~Scenario();
  Scenario(Scenario&&) noexcept;
  Scenario& operator=(Scenario&&) noexcept;

  [[nodiscard]] const std::string& file() const;
  [[nodiscard]] const std::string& name() const;
  [[nodiscard]] const std::string& description() const;
  [[nodiscard]] const std::vector<std::string>& sources() const;
  /// "normal", "tree" or "repeated".
  [[nodiscard]] const std::string& game_type() const;
  /// Parameters in file order.
  [[nodiscard]] const std::vector<Parameter>& parameters() const;
  /// Actor ids (YAML keys) in file order: this is the player order of the bound game.
  [[nodiscard]] const std::vector<std::string>& actor_ids() const;
  /// Display names of actors (the `name:` field, or the id).
  [[nodiscard]] const std::vector<std::string>& actor_names() const;
  /// Move ids of each actor, in file order (the action order of the bound game). For a tree:
  /// each actor's reduced-strategy labels ("finance.offer"), the actions of the reduced normal
  /// form that bind() returns (empty when that form is too large to build).
  [[nodiscard]] const std::vector<std::vector<std::string>>& moves() const;
  /// Default solver method named in the file (`method:` at top level), or empty.
  [[nodiscard]] const std::string& default_method() const;
  /// The `expect:` block.
  [[nodiscard]] const std::vector<Expectation>& expectations() const;

  /// Default parameter values (each parameter's `value`).
  [[nodiscard]] ParameterValues defaults() const;
  /// Defaults with overrides applied. Throws InputError (file = "--set") for an unknown
  /// parameter (with a suggestion) or a value outside the declared range unless
  /// `allow_outside_range`.
  [[nodiscard]] ParameterValues with_overrides(const ParameterValues& overrides,
                                               bool allow_outside_range,
                                               const std::string& origin = "--set") const;

  /// Compiles every formula once; the result binds parameter points quickly. Each thread
  /// needs its own CompiledScenario.
  [[nodiscard]] std::unique_ptr<CompiledScenario> compile() const;

  /// Convenience: compile() then bind(values).
  [[nodiscard]] NormalFormGame bind(const ParameterValues& values) const;
  /// Convenience: compile() then bind_tree(values). Throws InputError for a scenario that is
  /// not `type: tree`.
  [[nodiscard]] GameTree bind_tree(const ParameterValues& values) const;

  struct Model;  ///< parsed contents (private to the engine)
  [[nodiscard]] const Model& model() const { return *model_; }

 private:
  explicit Scenario(std::unique_ptr<Model> model);
  std::shared_ptr<const Model> model_;  ///< shared with compiled scenarios, which may outlive this
};

/// A scenario with its formulas compiled (muparser), bound to its own variable storage.
/// bind() is cheap relative to parsing; not thread-safe (one instance per thread).
class CompiledScenario {
 public:
  virtual ~CompiledScenario() = default;
  /// The game at a parameter point. Missing names take their defaults. Throws InputError
  /// naming the formula's location when a formula evaluates to NaN or infinity, or an
  /// attribute leaves its declared range. For a tree scenario: the reduced normal form of
  /// bind_tree(values) (InputError when it exceeds the game-size limit).
  [[nodiscard]] virtual NormalFormGame bind(const ParameterValues& values) = 0;
  /// The game tree of a `type: tree` scenario at a parameter point: players are the actor ids,
  /// information sets carry their labels, leaves their `name:` as outcome. Throws InputError
  /// naming the formula's line when a value is NaN or infinite, chance probabilities leave
  /// [0, 1] or do not sum to 1, or an attribute leaves its range at a leaf; and for a scenario
  /// that is not a tree.
  [[nodiscard]] virtual GameTree bind_tree(const ParameterValues& values) = 0;
};

/// Parses a `name=value` command-line assignment; the value may be a number or a formula of
/// numbers. Throws InputError (file = origin) when malformed.
[[nodiscard]] std::pair<std::string, double> parse_assignment(const std::string& text,
                                                              const std::string& origin);

}  // namespace stratagem

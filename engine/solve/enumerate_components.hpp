#pragma once

// Private to enumerate: the maximal cliques and connected components of a degenerate game's
// extreme equilibria (Avis, Rosenberg, Savani and von Stengel).

#include "stratagem/solve/enumerate.hpp"

namespace stratagem::detail {

/// Fills the cliques and components of `result` from its equilibria's vertex indices.
void find_cliques(EnumerationResult& result);

}  // namespace stratagem::detail

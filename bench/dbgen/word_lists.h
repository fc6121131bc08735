// The value lists of TPC-H clause 4.2.2.13 / 4.2.3: region and nation names, the part name
// colours, the type and container syllables, market segments, order priorities, shipping
// instructions and modes, and the weighted word lists of the pseudo-text grammar.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace strata::dbgen {

struct NationEntry {
  std::string_view name;
  int region_key;
};

std::span<const std::string_view> RegionNames();   // 5, indexed by R_REGIONKEY
std::span<const NationEntry> Nations();            // 25, indexed by N_NATIONKEY
std::span<const std::string_view> PartColors();    // 92 words for P_NAME
std::span<const std::string_view> TypeSyllable1();  // STANDARD, SMALL, ...
std::span<const std::string_view> TypeSyllable2();  // ANODIZED, BURNISHED, ...
std::span<const std::string_view> TypeSyllable3();  // TIN, NICKEL, ...
std::span<const std::string_view> ContainerSyllable1();  // SM, LG, MED, JUMBO, WRAP
std::span<const std::string_view> ContainerSyllable2();  // CASE, BOX, BAG, ...
std::span<const std::string_view> MarketSegments();
std::span<const std::string_view> OrderPriorities();
std::span<const std::string_view> ShipInstructions();
std::span<const std::string_view> ShipModes();

// A word list of the text grammar with a relative weight per word.
struct WeightedWord {
  std::string_view word;
  int weight;
};

std::span<const WeightedWord> GrammarNouns();
std::span<const WeightedWord> GrammarVerbs();
std::span<const WeightedWord> GrammarAdjectives();
std::span<const WeightedWord> GrammarAdverbs();
std::span<const WeightedWord> GrammarPrepositions();
std::span<const WeightedWord> GrammarAuxiliaries();
std::span<const WeightedWord> GrammarTerminators();

}  // namespace strata::dbgen

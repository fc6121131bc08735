// Builds the pseudo-text pool from the grammar of clause 4.2.2.14:
//   sentence  := NP VP T | NP VP PP T | NP VP NP T | NP PP VP NP T | NP PP VP PP T
//   NP        := noun | adjective noun | adjective, adjective noun | adverb adjective noun
//   VP        := verb | auxiliary verb | verb adverb | auxiliary verb adverb
//   PP        := preposition the NP
// Each alternative and each word is picked with its weight.
#include "bench/dbgen/text_pool.h"

#include <span>
#include <vector>

#include "bench/dbgen/word_lists.h"

namespace strata::dbgen {
namespace {

// Picks from a weighted list with one draw.
class WeightedPicker {
 public:
  explicit WeightedPicker(std::span<const WeightedWord> words) : words_(words) {
    int total = 0;
    for (const WeightedWord& w : words) {
      total += w.weight;
      cumulative_.push_back(total);
    }
  }
  std::string_view Pick(RowRandom& rng) const { return words_[PickIndex(rng)].word; }
  size_t PickIndex(RowRandom& rng) const {
    const int64_t x = rng.Uniform(1, cumulative_.back());
    size_t i = 0;
    while (cumulative_[i] < x) ++i;
    return i;
  }

 private:
  std::span<const WeightedWord> words_;
  std::vector<int> cumulative_;
};

constexpr WeightedWord kSentenceShapes[] = {{"0", 3}, {"1", 3}, {"2", 3}, {"3", 1}, {"4", 1}};
constexpr WeightedWord kNounPhraseShapes[] = {{"0", 10}, {"1", 20}, {"2", 10}, {"3", 6}};
constexpr WeightedWord kVerbPhraseShapes[] = {{"0", 30}, {"1", 1}, {"2", 40}, {"3", 1}};

class SentenceWriter {
 public:
  SentenceWriter(std::string& out, RowRandom& rng) : out_(out), rng_(rng) {}

  void Sentence() {
    NounPhrase();
    switch (sentences_.PickIndex(rng_)) {
      case 0: VerbPhrase(); break;
      case 1: VerbPhrase(); PrepositionalPhrase(); break;
      case 2: VerbPhrase(); NounPhrase(); break;
      case 3: PrepositionalPhrase(); VerbPhrase(); NounPhrase(); break;
      default: PrepositionalPhrase(); VerbPhrase(); PrepositionalPhrase(); break;
    }
    // The terminator follows the last word directly: "... carefully final deposits."
    out_.pop_back();
    out_.append(terminators_.Pick(rng_));
    out_.push_back(' ');
  }

 private:
  void Word(std::string_view w) {
    out_.append(w);
    out_.push_back(' ');
  }
  void NounPhrase() {
    switch (noun_phrases_.PickIndex(rng_)) {
      case 0: break;
      case 1: Word(adjectives_.Pick(rng_)); break;
      case 2:
        out_.append(adjectives_.Pick(rng_));
        out_.append(", ");
        Word(adjectives_.Pick(rng_));
        break;
      default:
        Word(adverbs_.Pick(rng_));
        Word(adjectives_.Pick(rng_));
        break;
    }
    Word(nouns_.Pick(rng_));
  }
  void VerbPhrase() {
    const size_t shape = verb_phrases_.PickIndex(rng_);
    if (shape == 1 || shape == 3) Word(auxiliaries_.Pick(rng_));
    Word(verbs_.Pick(rng_));
    if (shape >= 2) Word(adverbs_.Pick(rng_));
  }
  void PrepositionalPhrase() {
    Word(prepositions_.Pick(rng_));
    Word("the");
    NounPhrase();
  }

  std::string& out_;
  RowRandom& rng_;
  WeightedPicker nouns_{GrammarNouns()};
  WeightedPicker verbs_{GrammarVerbs()};
  WeightedPicker adjectives_{GrammarAdjectives()};
  WeightedPicker adverbs_{GrammarAdverbs()};
  WeightedPicker prepositions_{GrammarPrepositions()};
  WeightedPicker auxiliaries_{GrammarAuxiliaries()};
  WeightedPicker terminators_{GrammarTerminators()};
  WeightedPicker sentences_{kSentenceShapes};
  WeightedPicker noun_phrases_{kNounPhraseShapes};
  WeightedPicker verb_phrases_{kVerbPhraseShapes};
};

}  // namespace

const TextPool& TextPool::Instance() {
  static const TextPool pool(kDefaultBytes, 0x7E47F001ull);
  return pool;
}

TextPool::TextPool(size_t bytes, uint64_t seed) {
  text_.reserve(bytes + 256);
  RowRandom rng(seed, 0);
  SentenceWriter writer(text_, rng);
  while (text_.size() < bytes) writer.Sentence();
  text_.resize(bytes);
}

}  // namespace strata::dbgen

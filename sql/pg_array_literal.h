// PostgreSQL array literals carried as TEXT. Strata has no array type: catalog columns such as
// pg_index.indkey or proargnames hold the literal PostgreSQL would print, and the array
// functions (executor/expr_array.cpp) read and build that text.
//
// An int2vector / oidvector (pg_index.indkey) is read the same way from its own text, the values
// separated by spaces ("1 3"); its subscripts count from 0.
//
// The format (one dimension only): `{` elements separated by `,` `}`, e.g.
//   {public,"a b",NULL,"",x\,y}
// An element is written double-quoted when it is empty, equals NULL (any case), or contains
// `{ } , " \` or whitespace; inside the quotes `"` and `\` are escaped with a backslash. An
// unquoted NULL is a null element. Reading follows array_in: whitespace around an element is
// dropped, a backslash outside quotes also escapes the next byte, quoted and unquoted parts of
// one element are joined, and an escaped or quoted NULL is the four letters, not a null.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// Reads the elements of one literal after another; reusable across rows without allocating
// once its scratch buffer has grown.
class ArrayLiteralReader {
 public:
  // Starts on `text`. A text that is not a one-dimensional array literal raises 22P02
  // `malformed array literal: "text"` (here or from Next()).
  void Reset(std::string_view text);
  // Starts on the text of an int2vector / oidvector: its values separated by spaces ("1 3"),
  // never NULL (sql/array_types.h).
  void ResetVector(std::string_view text);
  // The next element: false at the end. *value is valid until the next call.
  bool Next(std::string_view* value, bool* is_null);
  // Reads the remaining elements and returns their count.
  size_t CountRemaining();

 private:
  [[noreturn]] void Malformed() const;

  std::string_view text_;
  size_t pos_ = 0;
  bool done_ = true;
  bool vector_ = false;
  std::string scratch_;
};

// Appends `element` to *out as one array element, quoted and escaped when needed.
void AppendArrayElement(std::string_view element, std::string* out);

}  // namespace strata

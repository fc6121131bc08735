// Sort keys as bytes: a value encoded so that comparing the encodings with memcmp orders them
// as ORDER BY does (NULLs first or last, ascending or descending; strings by their bytes, as
// the C collation; -0 equal to 0, NaN above every number as in PostgreSQL). Used where values
// must be kept and ordered later without their vectors, such as LISTAGG ... WITHIN GROUP
// (ORDER BY ...) states, which travel between slices as bytes.
#pragma once

#include <string>

#include "sql/vector.h"

namespace strata {

// Appends the sortable encoding of row `row` of `v` to *out.
void AppendSortableKey(const Vector& v, size_t row, bool desc, bool nulls_first, std::string* out);

}  // namespace strata

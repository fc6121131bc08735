// A string as a JSON string literal (quotes and escapes): what the server log's JSON lines, the
// console's API answers and the external-table rows write. (UNLOAD's JSON writer keeps its own
// table-driven copy on its hot path, formats/text_writer.h.)
#pragma once

#include <string>
#include <string_view>

namespace strata {

// "…" with \" \\ \n \r \t and \u00XX for the other control characters; other bytes as they are
// (UTF-8 passes through).
std::string JsonQuoted(std::string_view s);

}  // namespace strata

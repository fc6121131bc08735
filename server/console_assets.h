// The web console's static files, built into the binary from console/ (the list is
// console/assets.txt; CMakeLists.txt generates their table). Served by server/http_server.h.
#pragma once

#include <optional>
#include <string_view>

namespace strata {

struct ConsoleAsset {
  std::string_view path;          // the URL path, e.g. "/index.html"
  std::string_view content_type;  // e.g. "text/html; charset=utf-8"
  std::string_view data;
};

// The file served at `path`; nullopt when there is none.
std::optional<ConsoleAsset> FindConsoleAsset(std::string_view path);

}  // namespace strata

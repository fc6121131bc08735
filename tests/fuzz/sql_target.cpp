// Fuzz target for the SQL front end: parse (libpg_query + the Redshift dialect layer + the AST
// decoder) -> bind -> plan, against the fixed catalog of front_end.h.
//
// Input: SQL text, optionally followed by a NUL and parameter values separated by NULs (a value
// that is a single 0xFF byte is NULL). Each statement is bound and planned without parameters
// (as Parse/Describe does) and, when values follow, again with them substituted (as Execute
// does), so the text-to-value parsing of every parameter type is fuzzed too. CREATE TABLE / VIEW
// and DROP change the catalog the input's later statements see (front_end.h's WorkingCatalog).
// Outcome: any SqlError other than XX000 is fine; a crash, an abort, an uncaught exception
// (std::bad_alloc included) or XX000 from a small input is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sql/error.h"
#include "sql/parser.h"
#include "tests/fuzz/front_end.h"

namespace {

constexpr size_t kMaxStatements = 16;

strata::ParamValues SplitParams(std::string_view rest) {
  strata::ParamValues params;
  while (!rest.empty() && params.size() < 64) {
    size_t nul = rest.find('\0');
    std::string_view value = rest.substr(0, nul);
    if (value == "\xff") params.emplace_back(std::nullopt); else params.emplace_back(std::string(value));
    if (nul == std::string_view::npos) break;
    rest.remove_prefix(nul + 1);
  }
  return params;
}

// With STRATA_FUZZ_VERBOSE set, each statement's outcome goes to stderr.
void Report(const char* what, const std::string& detail) {
  static const bool verbose = std::getenv("STRATA_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "  %s %s\n", what, detail.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string_view sql = input.substr(0, nul);
  strata::ParamValues params;
  const bool with_params = nul != std::string_view::npos;
  if (with_params) params = SplitParams(input.substr(nul + 1));

  std::vector<strata::ast::Statement> statements;
  try {
    statements = strata::ParseSql(sql);
    // The simple query protocol splits first; run that path as well.
    strata::SplitSql(sql);
  } catch (const strata::SqlError& e) {
    Report(e.sqlstate().c_str(), e.message());
    strata::fuzz::CheckError(e.sqlstate(), e.message(), size);
    return 0;
  }
  strata::fuzz::WorkingCatalog cat;
  for (size_t i = 0; i < statements.size() && i < kMaxStatements; ++i) {
    try {
      strata::BoundStatement b = strata::fuzz::BindAndPlan(statements[i], cat.Get(), {}, nullptr);
      if (with_params) strata::fuzz::BindAndPlan(statements[i], cat.Get(), {}, &params);
      cat.Apply(statements[i], b);
      Report("ok", statements[i].text.substr(0, 60));
    } catch (const strata::SqlError& e) {
      Report(e.sqlstate().c_str(), e.message());
      strata::fuzz::CheckError(e.sqlstate(), e.message(), size);
    }
  }
  return 0;
}

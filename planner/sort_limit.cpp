// See sort_limit.h.
#include "planner/sort_limit.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "planner/expr_builder.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

LogicalPtr Over(LogicalKind kind, LogicalPtr child) {
  auto n = std::make_unique<LogicalNode>();
  n->kind = kind;
  n->columns = child->columns;
  n->estimated_rows = child->estimated_rows;
  n->children.push_back(std::move(child));
  return n;
}

}  // namespace

int64_t ConstantCount(const ast::Expr& e, const char* what, BindState* params) {
  Scope none;
  ExprBinder b(none, params, nullptr, what);
  plan::Expr x = b.Bind(e);
  if (x.has_literal() && x.literal().is_null()) return -1;
  const int position = e.location >= 0 ? e.location + 1 : 0;
  if (!x.has_literal() || !ExprType(x).is_integer()) {
    x = CoerceTo(std::move(x), SqlType::Int64());
    if (!x.has_literal()) throw SqlError(sqlstate::kFeatureNotSupported, StrCat(what, " must be a constant"), position);
  }
  if (x.literal().i64() < 0) {
    throw SqlError(sqlstate::kInvalidParameterValue, StrCat(what, " must not be negative"), position);
  }
  return x.literal().i64();
}

int SelectListPosition(const ast::Expr& literal, const char* clause) {
  const std::string& t = literal.text;
  if (t.empty() || t.size() > 10 || !std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); }) ||
      std::stoll(t) > INT32_MAX) {
    throw SqlError(sqlstate::kSyntaxError, StrCat("non-integer constant in ", clause),
                   literal.location >= 0 ? literal.location + 1 : 0);
  }
  return static_cast<int>(std::stoll(t));
}

LogicalPtr SortAndLimit(LogicalPtr node, std::vector<plan::SortKey> sort_keys, int64_t limit, int64_t offset) {
  if (!sort_keys.empty()) {
    LogicalPtr sort = Over(LogicalKind::kSort, std::move(node));
    sort->sort_keys = std::move(sort_keys);
    sort->limit = limit >= 0 ? limit + offset : -1;
    node = std::move(sort);
  }
  if (limit >= 0 || offset > 0) {
    LogicalPtr lim = Over(LogicalKind::kLimit, std::move(node));
    lim->limit = limit;
    lim->offset = offset;
    if (limit >= 0) lim->estimated_rows = std::min<double>(lim->estimated_rows, static_cast<double>(limit));
    node = std::move(lim);
  }
  return node;
}

}  // namespace strata

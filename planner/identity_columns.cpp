// Identity columns: definition, INSERT / UPDATE rules, the high-water mark (see the header).
#include "planner/identity_columns.h"

#include <limits>

#include "planner/expr_builder.h"
#include "sql/error.h"

namespace strata {

int64_t IdentityMaximum(const SqlType& type) {
  switch (type.id) {
    case TypeId::kInt16: return std::numeric_limits<int16_t>::max();
    case TypeId::kInt32: return std::numeric_limits<int32_t>::max();
    default: return std::numeric_limits<int64_t>::max();
  }
}

int64_t IdentityMinimum(const SqlType& type) {
  switch (type.id) {
    case TypeId::kInt16: return std::numeric_limits<int16_t>::min();
    case TypeId::kInt32: return std::numeric_limits<int32_t>::min();
    default: return std::numeric_limits<int64_t>::min();
  }
}

bool IsSequenceDefault(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::kFuncCall || e.func_name != "nextval" || e.args.size() != 1) return false;
  const ast::Expr* a = e.args[0].get();
  while (a->kind == ast::ExprKind::kCast && !a->args.empty()) a = a->args[0].get();
  return a->kind == ast::ExprKind::kLiteral && a->literal_kind == ast::LiteralKind::kString;
}

void BindIdentityColumn(const ast::ColumnDef& cd, const SqlType& type, const std::string& table, catalog::Column* c) {
  ast::IdentitySpec id = cd.identity;
  if (!id.present && cd.default_expr && IsSequenceDefault(*cd.default_expr)) {
    id.present = id.by_default = id.serial = true;  // DEFAULT nextval(...): a serial column
  } else if (cd.default_expr) {
    FailAt(sqlstate::kSyntaxError, StrCat("both default and identity specified for column \"", cd.name, "\" of table \"", table, "\""),
           cd.location);
  }
  if (type.id != TypeId::kInt16 && type.id != TypeId::kInt32 && type.id != TypeId::kInt64) {
    FailAt(sqlstate::kInvalidParameterValue, "identity column type must be smallint, integer, or bigint");
  }
  // As a PostgreSQL sequence: ascending ones start at 1, descending ones at -1, and values stay
  // within the column's type on the side they move towards.
  int64_t min = id.increment > 0 ? 1 : IdentityMinimum(type);
  int64_t max = id.increment > 0 ? IdentityMaximum(type) : -1;
  int64_t start = id.start_given ? id.start : (id.increment > 0 ? min : max);
  if (start < IdentityMinimum(type) || start > IdentityMaximum(type)) {
    FailAt(sqlstate::kInvalidParameterValue, StrCat("START value (", start, ") is out of range for type ", type.ToString()),
           cd.location);
  }
  catalog::ColumnIdentity* out = c->mutable_identity();
  out->set_start(start);
  out->set_increment(id.increment);
  out->set_next_value(start);
  out->set_by_default(id.by_default);
  out->set_serial(id.serial);
  c->set_not_null(true);
}

void FailIdentityInsert(const catalog::Column& c) {
  throw SqlError(sqlstate::kGeneratedAlways, StrCat("cannot insert a non-DEFAULT value into column \"", c.name(), "\""))
      .WithDetail(StrCat("Column \"", c.name(), "\" is an identity column defined as GENERATED ALWAYS."))
      .WithHint("Use OVERRIDING SYSTEM VALUE to override.");
}

void CheckIdentityUpdate(const catalog::Column& c) {
  if (!c.has_identity() || c.identity().by_default()) return;
  throw SqlError(sqlstate::kGeneratedAlways, StrCat("column \"", c.name(), "\" can only be updated to DEFAULT"))
      .WithDetail(StrCat("Column \"", c.name(), "\" is an identity column defined as GENERATED ALWAYS."));
}

void AdvanceIdentity(catalog::Column* c, int64_t min, int64_t max) {
  if (!c->has_identity()) return;
  catalog::ColumnIdentity* id = c->mutable_identity();
  int64_t step = id->increment();
  // Past the furthest value in the direction of travel; saturating, so a column that reached its
  // type's end fails on its next generated value (2200H) rather than wrapping.
  int64_t next = 0;
  if (step > 0) {
    if (__builtin_add_overflow(max, step, &next)) next = std::numeric_limits<int64_t>::max();
    if (next > id->next_value()) id->set_next_value(next);
  } else {
    if (__builtin_add_overflow(min, step, &next)) next = std::numeric_limits<int64_t>::min();
    if (next < id->next_value()) id->set_next_value(next);
  }
}

std::string IdentitySequenceName(const std::string& table, const std::string& column) {
  return StrCat(table, "_", column, "_seq");
}

}  // namespace strata

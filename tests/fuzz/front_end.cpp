// The fuzz targets' catalog and their bind-and-plan step (see front_end.h).
#include "tests/fuzz/front_end.h"

#include <cstdio>
#include <cstdlib>

#include "planner/optimizer.h"
#include "planner/physical_planner.h"
#include "planner/table_constraints.h"
#include "sql/error.h"
#include "tests/unit/planner/planner_test_support.h"

namespace strata::fuzz {

namespace {

catalog::Catalog BuildCatalog() {
  using strata::testing::MakeTable;
  catalog::Catalog c;
  catalog::Table t = MakeTable(1, "t",
                               {{"a", SqlType::Int32()}, {"b", SqlType::Int64()}, {"c", SqlType::Varchar(20)},
                                {"d", SqlType::Decimal(12, 2)}, {"e", SqlType::Date()}, {"f", SqlType::Timestamp()},
                                {"g", SqlType::Bool()}, {"h", SqlType::Float64()}},
                               "KEY", 0, 100000);
  t.add_sortkey(4);
  t.set_sort_style(catalog::SORT_COMPOUND);
  t.set_version(3);
  *c.add_tables() = t;
  *c.add_tables() = MakeTable(2, "u",
                              {{"k", SqlType::Int32()}, {"s", SqlType::Char(10)}, {"v", SqlType::Int16()},
                               {"w", SqlType::Float32()}, {"x", SqlType::Text()}, {"z", SqlType::TimestampTz()},
                               {"m", SqlType::Decimal(38, 10)}},
                              "EVEN", -1, 5000);
  *c.add_tables() = MakeTable(3, "n", {{"id", SqlType::Int32()}, {"name", SqlType::Varchar(30)}}, "ALL", -1, 25);
  catalog::Table v = MakeTable(4, "v", {{"a", SqlType::Int32()}, {"c", SqlType::Varchar(20)}}, "", -1, 0);
  v.set_is_view(true);
  v.set_view_sql("select a, c from t where g");
  *c.add_tables() = v;
  return c;
}

}  // namespace

namespace {
const CatalogPtr& FuzzCatalogPtr() {
  static const CatalogPtr* cat = new CatalogPtr(CatalogVersion::FromProto(BuildCatalog()));
  return *cat;
}
}  // namespace

const CatalogVersion& FuzzCatalog() { return *FuzzCatalogPtr(); }

void WorkingCatalog::Apply(const ast::Statement& stmt, const BoundStatement& b) {
  using K = ast::StatementKind;
  const bool create = (stmt.kind == K::kCreateTable || stmt.kind == K::kCreateView) && !b.table.name().empty();
  if (!create && !(stmt.kind == K::kDrop || stmt.kind == K::kCreateView)) return;
  if (!copy_) copy_ = std::make_unique<CatalogTransaction>(FuzzCatalogPtr());
  for (int64_t id : b.drop_ids) copy_->DropTable(id);
  if (create) {
    catalog::Table t = b.table;
    t.set_id(next_id_++);
    if (stmt.kind == K::kCreateTable) ResolveSelfReferences(&t);
    copy_->CreateTable(std::move(t));
  }
}

BoundStatement BindAndPlan(const ast::Statement& stmt, const CatalogVersion& cat,
                           const std::vector<uint32_t>& param_oids, const ParamValues* params) {
  using K = ast::StatementKind;
  const ClusterShape shape{2, 2};
  const bool declare = stmt.kind == K::kDeclareCursor && stmt.cursor && stmt.cursor->query;
  BoundStatement b = Bind(declare ? *stmt.cursor->query : stmt, cat, param_oids, params);
  Optimize(&b);
  switch (declare ? K::kSelect : stmt.kind) {
    case K::kSelect:
      if (b.query) {
        PlanQuery(*b.query, shape);
      }
      break;
    case K::kInsert:
    case K::kExplain:
      if (b.query) {
        const bool insert = stmt.kind == K::kInsert || b.explained_kind == K::kInsert;
        if (insert) PlanInsert(*b.query, b.table, shape); else PlanQuery(*b.query, shape);
      }
      break;
    case K::kDelete:
    case K::kUpdate:
      if (b.query) {
        PlanModify(*b.query, b.table, b.update_moves_rows, shape);
      }
      break;
    case K::kMerge:
      if (b.query) PlanMerge(*b.query, b.table, shape);
      break;
    case K::kCreateTable:
      if (b.create_as) PlanInsert(*b.create_as, b.table, shape);
      break;
    case K::kCopy:
      if (b.query) {
        if (stmt.copy && stmt.copy->is_from) PlanInsert(*b.query, b.table, shape); else PlanQuery(*b.query, shape);
      }
      break;
    case K::kUnload:
      if (b.query) {
        PlanUnload(*b.query, b.unload, shape);
      }
      break;
    default:
      break;
  }
  return b;
}

void CheckError(const std::string& sqlstate, const std::string& message, size_t input_size, size_t small_input) {
  if (sqlstate != sqlstate::kInternalError || input_size > small_input) return;
  // For exploring past a known finding: STRATA_FUZZ_IGNORE=text skips XX000s whose message has it.
  static const char* ignore = std::getenv("STRATA_FUZZ_IGNORE");
  if (ignore != nullptr && *ignore != '\0' && message.find(ignore) != std::string::npos) return;
  std::fprintf(stderr, "fuzz: internal error XX000 from a %zu-byte input: %s\n", input_size, message.c_str());
  std::abort();
}

}  // namespace strata::fuzz

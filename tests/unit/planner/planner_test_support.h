// Builds small catalogs and plans SQL through the real parser, binder and physical planner.
#pragma once

#include <string>
#include <vector>

#include "catalog/table_styles.h"
#include "planner/optimizer.h"
#include "planner/binder.h"
#include "planner/expr_builder.h"
#include "planner/physical_planner.h"
#include "sql/parser.h"

namespace strata::testing {

inline catalog::Table MakeTable(int64_t id, const std::string& name, const std::vector<std::pair<std::string, SqlType>>& cols,
                                const std::string& diststyle, int distkey, int64_t rows) {
  catalog::Table t;
  t.set_id(id);
  t.set_schema("public");
  t.set_name(name);
  for (const auto& [n, ty] : cols) {
    auto* c = t.add_columns();
    c->set_name(n);
    *c->mutable_type() = ToProtoType(ty);
  }
  t.set_dist_style(DistStyleNamed(diststyle));
  t.set_distkey(distkey);
  t.set_rows(rows);
  return t;
}

inline CatalogVersion SampleCatalog() {
  catalog::Catalog c;
  // orders: KEY(o_id), big; items: KEY(i_order), big; customers: EVEN, small; nations: ALL.
  *c.add_tables() = MakeTable(1, "orders", {{"o_id", SqlType::Int32()}, {"o_cust", SqlType::Int32()}, {"o_total", SqlType::Decimal(12, 2)}}, "KEY", 0, 1000000);
  *c.add_tables() = MakeTable(2, "items", {{"i_order", SqlType::Int32()}, {"i_qty", SqlType::Int32()}, {"i_name", SqlType::Varchar(20)}}, "KEY", 0, 4000000);
  *c.add_tables() = MakeTable(3, "customers", {{"c_id", SqlType::Int32()}, {"c_name", SqlType::Varchar(20)}, {"c_nation", SqlType::Int32()}}, "EVEN", -1, 1000);
  *c.add_tables() = MakeTable(4, "nations", {{"n_id", SqlType::Int32()}, {"n_name", SqlType::Char(25)}}, "ALL", -1, 25);
  *c.add_tables() = MakeTable(5, "events", {{"e_id", SqlType::Int64()}, {"e_cust", SqlType::Int32()}}, "EVEN", -1, 2000000);
  return *CatalogVersion::FromProto(c);
}

inline BoundStatement BindSql(const std::string& sql, const CatalogVersion& cat) {
  auto stmts = ParseSql(sql);
  return Bind(stmts.at(0), cat, {}, nullptr);
}

// Binds, optimizes and plans `sql`, as the leader does.
inline PhysicalPlan PlanSql(const std::string& sql, const CatalogVersion& cat) {
  BoundStatement b = BindSql(sql, cat);
  Optimize(&b);
  return PlanQuery(*b.query, ClusterShape{2, 2});
}

inline std::string ExplainText(const PhysicalPlan& p) {
  std::string s;
  for (const auto& l : p.explain) s += l + "\n";
  return s;
}

}  // namespace strata::testing

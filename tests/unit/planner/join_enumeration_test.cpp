// Join ordering by enumeration (planner/join_enumeration.h): which inputs a region joins first,
// checked on the optimized logical plan of a TPC-H Q5-shaped query.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "planner_test_support.h"

namespace strata {
namespace {

// The tables scanned below `n`.
std::set<std::string> TablesBelow(const LogicalNode& n) {
  std::set<std::string> out;
  if (n.kind == LogicalKind::kScan) out.insert(n.table.name());
  for (const auto& c : n.children) {
    if (!c) continue;
    for (const auto& t : TablesBelow(*c)) out.insert(t);
  }
  return out;
}

// The table sets of every inner join's subtree.
void JoinedSets(const LogicalNode& n, std::vector<std::set<std::string>>* out) {
  if (n.kind == LogicalKind::kJoin && n.join_type == plan::INNER) out->push_back(TablesBelow(n));
  for (const auto& c : n.children) {
    if (c) JoinedSets(*c, out);
  }
}

void SetRange(catalog::Table* t, int col, int64_t lo, int64_t hi) {
  auto* c = t->mutable_columns(col);
  c->set_has_range(true);
  c->set_min_value(lo);
  c->set_max_value(hi);
}

// lineitem ⋈ orders ⋈ customer ⋈ supplier ⋈ nation ⋈ region, customer and supplier of one
// nation, the nation in one region (TPC-H Q5's join graph, key ranges as ANALYZE gives them).
CatalogVersion Q5Catalog() {
  catalog::Catalog c;
  auto add = [&](int id, const std::string& name, std::vector<std::pair<std::string, SqlType>> cols, const std::string& style,
                 int distkey, int64_t rows) {
    *c.add_tables() = testing::MakeTable(id, name, cols, style, distkey, rows);
    return c.mutable_tables(c.tables_size() - 1);
  };
  auto* l = add(1, "lineitem", {{"l_order", SqlType::Int32()}, {"l_supp", SqlType::Int32()}}, "KEY", 0, 6000000);
  auto* o = add(2, "orders", {{"o_id", SqlType::Int32()}, {"o_cust", SqlType::Int32()}}, "KEY", 0, 1500000);
  auto* cu = add(3, "customer", {{"c_id", SqlType::Int32()}, {"c_nation", SqlType::Int32()}}, "KEY", 0, 150000);
  auto* s = add(4, "supplier", {{"s_id", SqlType::Int32()}, {"s_nation", SqlType::Int32()}}, "ALL", -1, 10000);
  auto* n = add(5, "nation", {{"n_id", SqlType::Int32()}, {"n_region", SqlType::Int32()}}, "ALL", -1, 25);
  auto* r = add(6, "region", {{"r_id", SqlType::Int32()}, {"r_name", SqlType::Char(25)}}, "ALL", -1, 5);
  SetRange(l, 0, 1, 6000000);
  SetRange(l, 1, 1, 10000);
  SetRange(o, 0, 1, 6000000);
  SetRange(o, 1, 1, 150000);
  SetRange(cu, 0, 1, 150000);
  SetRange(cu, 1, 0, 24);
  SetRange(s, 0, 1, 10000);
  SetRange(s, 1, 0, 24);
  SetRange(n, 0, 0, 24);
  SetRange(n, 1, 0, 4);
  SetRange(r, 0, 0, 4);
  return *CatalogVersion::FromProto(c);
}

std::vector<std::set<std::string>> JoinsOf(const std::string& sql, const CatalogVersion& cat) {
  BoundStatement b = testing::BindSql(sql, cat);
  Optimize(&b);
  std::vector<std::set<std::string>> sets;
  JoinedSets(*b.query, &sets);
  return sets;
}

// customer reaches nation only through c_nation = s_nation = n_id: the implied c_nation = n_id
// lets the selective region, nation and customer join first (bushy), before they meet the
// orders and lineitem -- not after lineitem, orders and supplier are joined.
TEST(JoinEnumeration, ImpliedKeyJoinsTheSelectiveDimensionsFirst) {
  CatalogVersion cat = Q5Catalog();
  auto sets = JoinsOf(
      "select count(*) from customer, orders, lineitem, supplier, nation, region "
      "where c_id = o_cust and l_order = o_id and l_supp = s_id and c_nation = s_nation "
      "and s_nation = n_id and n_region = r_id and r_name = 'ASIA'",
      cat);
  const std::set<std::string> dims{"customer", "nation", "region"};
  bool found = false;
  for (const auto& s : sets) found = found || s == dims;
  EXPECT_TRUE(found) << "no join of exactly customer, nation and region";
  // Every table is joined once: five joins for six tables.
  EXPECT_EQ(sets.size(), 5u);
}

// A FROM list whose equalities leave a table unconnected is ordered greedily (with a cross
// product) -- every table still joined exactly once.
TEST(JoinEnumeration, UnconnectedTablesStillJoinOnce) {
  CatalogVersion cat = Q5Catalog();
  auto sets = JoinsOf("select count(*) from customer, orders, region where c_id = o_cust", cat);
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].size(), 3u);
}

// Two columns of one table equal to one column of another: both equalities are checked (the
// class is not used, so neither is dropped as implied).
TEST(JoinEnumeration, TwoColumnsOfOneTableKeepBothEqualities) {
  CatalogVersion cat = Q5Catalog();
  BoundStatement b = testing::BindSql(
      "select count(*) from customer, supplier, nation where c_nation = n_id and c_id = n_id and s_nation = n_id", cat);
  Optimize(&b);
  // Count the equalities that remain as join keys or predicates: three were written.
  int equalities = 0;
  std::function<void(const LogicalNode&)> walk = [&](const LogicalNode& n) {
    if (n.kind == LogicalKind::kJoin) {
      equalities += static_cast<int>(n.left_keys.size());
      if (n.has_predicate) {
        std::vector<const plan::Expr*> parts;
        ConjunctsOf(n.predicate, &parts);
        for (const auto* p : parts) equalities += p->has_call() && p->call().op() == plan::EQ;
      }
    }
    if (n.kind == LogicalKind::kFilter) {
      std::vector<const plan::Expr*> parts;
      ConjunctsOf(n.predicate, &parts);
      for (const auto* p : parts) equalities += p->has_call() && p->call().op() == plan::EQ;
    }
    for (const auto& c : n.children) {
      if (c) walk(*c);
    }
  };
  walk(*b.query);
  EXPECT_GE(equalities, 3);
}

}  // namespace
}  // namespace strata

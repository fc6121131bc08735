// The random query generator of the differential test: tables, rows and SELECT queries from a
// seed (see query_generator.h for the rules that keep every answer deterministic). Each SQL
// feature is one small function; a query is built top-down while a stack of Levels records which
// columns each query level may use, so that correlation predicates can reach outer levels and a
// grouped level only exposes its grouping columns.
#include "tests/differential/query_generator.h"

#include <algorithm>
#include <utility>

namespace strata::difftest {
namespace {

using Type = QueryGenerator::Type;

struct TableSchema {
  const char* name;
  std::vector<std::pair<const char*, Type>> columns;
  int rows;
  const char* strata_distribution;  // appended to Strata's CREATE TABLE only
};

const std::vector<TableSchema>& Schema() {
  static const std::vector<TableSchema> tables = {
      {"r1", {{"a", Type::kInt}, {"b", Type::kInt}, {"c", Type::kStr}}, 30, " distkey(a)"},
      {"r2", {{"a", Type::kInt}, {"b", Type::kInt}, {"c", Type::kStr}}, 25, " distkey(b)"},
      {"r3", {{"x", Type::kInt}, {"y", Type::kInt}}, 20, " diststyle all"},
  };
  return tables;
}

const std::vector<std::string>& StringDomain() {
  static const std::vector<std::string> values = {"a", "b", "c", "aa", "ab", "ba", "bc"};
  return values;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Data: small value domains so that joins and correlations match often, ~15% NULLs in every
// column, about one row in five a copy of an earlier row.

DataSetup MakeData(uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0x5DEECE66DULL);
  auto uniform = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  DataSetup setup;
  for (const TableSchema& table : Schema()) {
    std::string columns;
    for (const auto& [name, type] : table.columns) {
      if (!columns.empty()) columns += ", ";
      columns += std::string(name) + (type == Type::kInt ? " integer" : " varchar(8)");
    }
    std::string create = "create table " + std::string(table.name) + " (" + columns + ")";
    setup.drops.push_back("drop table if exists " + std::string(table.name));
    setup.postgres.push_back(create);
    setup.strata.push_back(create + table.strata_distribution);

    std::vector<std::string> rows;
    for (int i = 0; i < table.rows; ++i) {
      if (!rows.empty() && uniform(5) == 0) {
        rows.push_back(rows[uniform(static_cast<int>(rows.size()))]);
        continue;
      }
      std::string row;
      for (const auto& column : table.columns) {
        if (!row.empty()) row += ", ";
        if (uniform(100) < 15) row += "NULL";
        else if (column.second == Type::kInt) row += std::to_string(uniform(10));
        else row += "'" + StringDomain()[uniform(static_cast<int>(StringDomain().size()))] + "'";
      }
      rows.push_back("(" + row + ")");
    }
    std::string insert = "insert into " + std::string(table.name) + " values ";
    for (size_t i = 0; i < rows.size(); ++i) insert += (i > 0 ? ", " : "") + rows[i];
    setup.postgres.push_back(insert);
    setup.strata.push_back(insert);
  }
  return setup;
}

// ---------------------------------------------------------------------------------------------
// Levels

class QueryGenerator::LevelScope {
 public:
  LevelScope(QueryGenerator& generator, const std::vector<Column>& columns, int depth)
      : generator_(generator) {
    Level level;
    level.all = columns;
    level.usable = columns;
    level.depth = depth;
    generator_.levels_.push_back(std::move(level));
  }
  // A subquery level one deeper than the current one.
  LevelScope(QueryGenerator& generator, const std::vector<Column>& columns)
      : LevelScope(generator, columns, generator.Current().depth + 1) {}
  ~LevelScope() { generator_.levels_.pop_back(); }
  LevelScope(const LevelScope&) = delete;
  LevelScope& operator=(const LevelScope&) = delete;

 private:
  QueryGenerator& generator_;
};

QueryGenerator::QueryGenerator(uint64_t seed) : rng_(seed) {}

// ---------------------------------------------------------------------------------------------
// Randomness, literals, operators

int QueryGenerator::Uniform(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }

bool QueryGenerator::Chance(int percent) { return Uniform(100) < percent; }

std::string QueryGenerator::NewAlias(const char* prefix) {
  return prefix + std::to_string(++alias_counter_);
}

std::string QueryGenerator::IntLiteral() { return std::to_string(Uniform(12) - 1); }  // -1 .. 10

std::string QueryGenerator::StrLiteral() { return "'" + Pick(StringDomain()) + "'"; }

std::string QueryGenerator::Literal(Type type) {
  return type == Type::kInt ? IntLiteral() : StrLiteral();
}

std::string QueryGenerator::ComparisonOp() {
  static const std::vector<std::string> ops = {"=", "<>", "<", "<=", ">", ">="};
  return Pick(ops);
}

bool QueryGenerator::CanNest() const {
  return subqueries_left_ > 0 && levels_.back().depth < 2;
}

bool QueryGenerator::HasUsable(Type type) {
  for (const Column& c : Current().usable) {
    if (c.type == type) return true;
  }
  return false;
}

std::string QueryGenerator::Operand(Type type) {
  if (Current().aggregates && Chance(40)) return Aggregate(type);
  std::vector<Column> candidates;
  for (const Column& c : Current().usable) {
    if (c.type == type) candidates.push_back(c);
  }
  if (candidates.empty() || Chance(10)) return Literal(type);
  return Pick(candidates).sql;
}

// ---------------------------------------------------------------------------------------------
// Scalar expressions

std::string QueryGenerator::Aggregate(Type type) {
  std::vector<Column> ints, strs;
  for (const Column& c : Current().all) (c.type == Type::kInt ? ints : strs).push_back(c);
  if (type == Type::kStr) {
    if (strs.empty()) return StrLiteral();
    return std::string(Chance(50) ? "min(" : "max(") + Pick(strs).sql + ")";
  }
  if (ints.empty()) return "count(*)";
  const std::string column = Pick(ints).sql;
  switch (Uniform(allow_avg_ ? 7 : 6)) {
    case 0: return "count(*)";
    case 1: return "count(" + (strs.empty() || Chance(50) ? column : Pick(strs).sql) + ")";
    case 2: return "sum(" + column + ")";
    case 3: return "min(" + column + ")";
    case 4: return "max(" + column + ")";
    case 5: return "count(distinct " + column + ")";
    default: return "avg(" + column + ")";
  }
}

std::string QueryGenerator::CaseWhen(int budget) {
  std::string out = "case when " + Predicate(budget - 1) + " then " + IntExpr(budget - 1);
  if (Chance(70)) out += " else " + IntExpr(budget - 1);
  return out + " end";
}

std::string QueryGenerator::IntExpr(int budget) {
  int roll = Uniform(100);
  if (budget > 0 && roll < 12 && CanNest()) {
    --subqueries_left_;
    return ScalarSubquery(Type::kInt);
  }
  if (budget > 0 && roll < 20) return CaseWhen(budget);
  if (roll < 30) return Operand(Type::kInt) + " + " + Operand(Type::kInt);
  if (roll < 40) return "coalesce(" + Operand(Type::kInt) + ", " + IntLiteral() + ")";
  return Operand(Type::kInt);
}

std::string QueryGenerator::StrExpr() {
  if (Chance(15)) return "coalesce(" + Operand(Type::kStr) + ", 'zz')";
  return Operand(Type::kStr);
}

std::string QueryGenerator::Expr(Type type, int budget) {
  return type == Type::kInt ? IntExpr(budget) : StrExpr();
}

// ---------------------------------------------------------------------------------------------
// Predicates

std::string QueryGenerator::Predicate(int budget) {
  int roll = Uniform(100);
  if (budget > 0 && roll < 15) return Predicate(budget - 1) + " and " + Predicate(budget - 1);
  if (budget > 0 && roll < 25) return "(" + Predicate(budget - 1) + " or " + Predicate(budget - 1) + ")";
  if (budget > 0 && roll < 30) return "not (" + Predicate(budget - 1) + ")";
  if (roll < 65 && CanNest()) return SubqueryPredicate();
  return SimplePredicate();
}

std::string QueryGenerator::SimplePredicate() {
  switch (Uniform(10)) {
    case 0: return NullTest();
    case 1: return InList();
    case 2: return Between();
    case 3: return HasUsable(Type::kStr) ? Like() : Comparison();
    default: return Comparison();
  }
}

std::string QueryGenerator::Comparison() {
  Type type = HasUsable(Type::kStr) && Chance(25) ? Type::kStr : Type::kInt;
  std::string left = type == Type::kInt ? IntExpr(0) : StrExpr();
  std::string right = Chance(50) ? Literal(type) : Operand(type);
  return left + " " + ComparisonOp() + " " + right;
}

std::string QueryGenerator::NullTest() {
  Type type = HasUsable(Type::kStr) && Chance(30) ? Type::kStr : Type::kInt;
  return Operand(type) + (Chance(50) ? " is null" : " is not null");
}

std::string QueryGenerator::InList() {
  Type type = HasUsable(Type::kStr) && Chance(30) ? Type::kStr : Type::kInt;
  std::string list;
  int n = 1 + Uniform(4);
  for (int i = 0; i < n; ++i) list += (i > 0 ? ", " : "") + Literal(type);
  if (Chance(15)) list += ", null";
  return Operand(type) + (Chance(30) ? " not in (" : " in (") + list + ")";
}

std::string QueryGenerator::Between() {
  return IntExpr(0) + (Chance(25) ? " not between " : " between ") + IntLiteral() + " and " +
         IntLiteral();
}

std::string QueryGenerator::Like() {
  static const std::vector<std::string> patterns = {"'a%'", "'%b'", "'_a'", "'%a%'", "'b%'"};
  return Operand(Type::kStr) + (Chance(25) ? " not like " : " like ") + Pick(patterns);
}

std::string QueryGenerator::SubqueryPredicate() {
  --subqueries_left_;
  switch (Uniform(4)) {
    case 0: return ExistsPredicate();
    case 1: return InSubqueryPredicate();
    case 2: return QuantifiedPredicate();
    default: return ScalarComparison();
  }
}

std::string QueryGenerator::ExistsPredicate() {
  return std::string(Chance(35) ? "not exists (" : "exists (") + ExistsSubquery() + ")";
}

// The tested value of IN / ANY / ALL: any expression of the level (an aggregate in HAVING).
std::string QueryGenerator::SetOperand(Type type) {
  return type == Type::kInt ? IntExpr(0) : StrExpr();
}

// IN / NOT IN; inside a subquery, its own subquery may read any level further out.
std::string QueryGenerator::InSubqueryPredicate() {
  Type type = HasUsable(Type::kStr) && Chance(25) ? Type::kStr : Type::kInt;
  std::string left = SetOperand(type);
  return left + (Chance(35) ? " not in (" : " in (") + SetSubquery(type, false) + ")";
}

// op ANY / op ALL.
std::string QueryGenerator::QuantifiedPredicate() {
  Type type = HasUsable(Type::kStr) && Chance(20) ? Type::kStr : Type::kInt;
  std::string left = SetOperand(type);
  std::string op = ComparisonOp();
  bool any = Chance(50);
  return left + " " + op + (any ? " any (" : " all (") + SetSubquery(type, false) + ")";
}

std::string QueryGenerator::ScalarComparison() {
  Type type = HasUsable(Type::kStr) && Chance(20) ? Type::kStr : Type::kInt;
  std::string left = type == Type::kInt ? IntExpr(0) : StrExpr();
  std::string subquery = ScalarSubquery(type);
  if (Chance(25)) return subquery + " " + ComparisonOp() + " " + left;
  return left + " " + ComparisonOp() + " " + subquery;
}

// ---------------------------------------------------------------------------------------------
// Correlation: an inner column of the current level against a column of the level just outside,
// or (from a nested subquery, half of the time) of the outermost query; sometimes the outer
// column inside `+ 1` or coalesce().

std::string QueryGenerator::CorrelationPredicate() {
  const Level& inner = levels_.back();
  size_t outer_index = levels_.size() - 2;
  if (levels_.size() >= 3 && !inner.parent_only && Chance(50)) outer_index = 0;
  const Level& outer = levels_[outer_index];
  const Column& inner_column = Pick(inner.all);
  std::vector<Column> candidates;
  for (const Column& c : outer.usable) {
    if (c.type == inner_column.type) candidates.push_back(c);
  }
  std::string op = Chance(40) ? "=" : ComparisonOp();
  if (candidates.empty()) return inner_column.sql + " " + op + " " + Literal(inner_column.type);
  std::string outer_column = Pick(candidates).sql;
  if (inner_column.type == Type::kInt && Chance(20)) {
    outer_column = Chance(50) ? outer_column + " + 1" : "coalesce(" + outer_column + ", " + IntLiteral() + ")";
  }
  if (Chance(25)) return outer_column + " " + op + " " + inner_column.sql;
  return inner_column.sql + " " + op + " " + outer_column;
}

std::string QueryGenerator::CorrelationClause() {
  int roll = Uniform(100);
  if (roll < 15) return "";
  if (roll < 70) return CorrelationPredicate();
  if (roll < 85) return CorrelationPredicate() + " and " + CorrelationPredicate();
  return "(" + CorrelationPredicate() + " or " + CorrelationPredicate() + ")";
}

std::string QueryGenerator::SubqueryWhere() {
  std::string correlation = CorrelationClause();
  bool use_or = Chance(15);
  std::string local = Chance(50) ? Predicate(1) : "";
  if (correlation.empty() && local.empty()) return "";
  if (correlation.empty()) return " where " + local;
  if (local.empty()) return " where " + correlation;
  if (use_or) return " where (" + correlation + " or " + local + ")";
  return " where " + correlation + " and " + local;
}

// ---------------------------------------------------------------------------------------------
// Subqueries

std::string QueryGenerator::ScalarSubquery(Type type) {
  int roll = Uniform(100);
  if (type == Type::kStr) return roll < 70 ? ScalarAggregateSubquery(type) : ScalarLimitSubquery(type);
  if (roll < 60) return ScalarAggregateSubquery(type);
  if (roll < 80) return ScalarLimitSubquery(type);
  return ScalarOverDerivedSubquery();
}

// (select count(*) | sum(x) | min(x) | max(x) ... from rN where <correlation> [and <local>])
std::string QueryGenerator::ScalarAggregateSubquery(Type type) {
  From from = SubqueryFrom(type == Type::kStr);
  LevelScope scope(*this, from.columns);
  std::string aggregate = Aggregate(type);
  return "(select " + aggregate + " from " + from.sql + SubqueryWhere() + ")";
}

// One column ordered by itself, LIMIT 1: deterministic whatever the ties.
std::string QueryGenerator::ScalarLimitSubquery(Type type) {
  From from = SubqueryFrom(type == Type::kStr);
  LevelScope scope(*this, from.columns);
  std::vector<Column> candidates;
  for (const Column& c : from.columns) {
    if (c.type == type) candidates.push_back(c);
  }
  std::string column = Pick(candidates).sql;
  std::string where = SubqueryWhere();
  return "(select " + column + " from " + from.sql + where + " order by " + column +
         (Chance(50) ? " desc" : "") + " limit 1)";
}

// An aggregate over a derived table that holds the correlation: count(*) over a LIMIT (which
// rows are kept does not matter to the count), max over grouped counts, count over DISTINCT.
std::string QueryGenerator::ScalarOverDerivedSubquery() {
  From from = SubqueryFrom(false);
  LevelScope scope(*this, from.columns);
  std::string alias = NewAlias("d");
  std::vector<Column> ints;
  for (const Column& c : from.columns) {
    if (c.type == Type::kInt) ints.push_back(c);
  }
  const std::string key = Pick(ints).sql;
  std::string where = SubqueryWhere();
  switch (Uniform(3)) {
    case 0:
      return "(select count(*) from (select " + key + " from " + from.sql + where + " order by " +
             Pick(from.columns).sql + " limit " + std::to_string(1 + Uniform(4)) + ") " + alias +
             ")";
    case 1: {
      std::string tail = GroupedTail({{key, Type::kInt}});
      return "(select max(" + alias + ".n) from (select " + key + " as k, count(*) as n from " +
             from.sql + where + tail + ") " + alias + ")";
    }
    default:
      return "(select count(*) from (select distinct " + key + " from " + from.sql + where + ") " +
             alias + ")";
  }
}

// One column of `type` for IN / ANY / ALL: plain, DISTINCT, grouped by itself with HAVING, or
// ordered by itself with LIMIT k.
std::string QueryGenerator::SetSubquery(Type type, bool parent_only) {
  From from = SubqueryFrom(type == Type::kStr);
  LevelScope scope(*this, from.columns);
  Current().parent_only = parent_only;
  std::vector<Column> candidates;
  for (const Column& c : from.columns) {
    if (c.type == type) candidates.push_back(c);
  }
  const Column column = Pick(candidates);
  std::string where = SubqueryWhere();
  int roll = Uniform(100);
  if (roll < 50) return "select " + column.sql + " from " + from.sql + where;
  if (roll < 65) return "select distinct " + column.sql + " from " + from.sql + where;
  if (roll < 85) {
    std::string tail = GroupedTail({column});
    return "select " + column.sql + " from " + from.sql + where + tail;
  }
  return "select " + column.sql + " from " + from.sql + where + " order by " + column.sql +
         (Chance(50) ? " desc" : "") + " limit " + std::to_string(1 + Uniform(4));
}

std::string QueryGenerator::ExistsSubquery() {
  From from = SubqueryFrom(false);
  LevelScope scope(*this, from.columns);
  std::string where = SubqueryWhere();
  if (Chance(20)) {
    const Column key = Pick(from.columns);
    std::string tail = GroupedTail({key});
    return "select " + key.sql + " from " + from.sql + where + tail;
  }
  return std::string(Chance(50) ? "select 1" : "select *") + " from " + from.sql + where;
}

// GROUP BY `keys` [HAVING ...]; afterwards the current level exposes only `keys` and aggregates.
std::string QueryGenerator::GroupedTail(const std::vector<Column>& keys) {
  Current().usable = keys;
  Current().aggregates = true;
  std::string out = " group by ";
  for (size_t i = 0; i < keys.size(); ++i) out += (i > 0 ? ", " : "") + keys[i].sql;
  if (Chance(50)) out += " having " + Predicate(1);
  return out;
}

// ---------------------------------------------------------------------------------------------
// FROM clauses

QueryGenerator::From QueryGenerator::BaseTable(bool need_str) {
  const auto& tables = Schema();
  const TableSchema& table = need_str ? tables[Uniform(2)] : Pick(tables);
  From from;
  std::string alias = NewAlias("t");
  from.sql = std::string(table.name) + " " + alias;
  for (const auto& [name, type] : table.columns) from.columns.push_back({alias + "." + name, type});
  from.single_base_table = true;
  return from;
}

std::string QueryGenerator::JoinCondition(const From& left, const From& right) {
  // A column pair of one type; every table has int columns.
  auto pick_int = [&](const From& f) {
    std::vector<Column> ints;
    for (const Column& c : f.columns) {
      if (c.type == Type::kInt) ints.push_back(c);
    }
    return Pick(ints).sql;
  };
  std::string out = pick_int(left) + " " + (Chance(70) ? "=" : ComparisonOp()) + " " + pick_int(right);
  if (Chance(35)) {
    const Column& c = Pick(right.columns);
    out += " and " + c.sql + " " + ComparisonOp() + " " + Literal(c.type);
  }
  return out;
}

QueryGenerator::From QueryGenerator::JoinedTables(bool left_join) {
  From left = BaseTable(false);
  From right = BaseTable(false);
  From from;
  from.sql = left.sql + (left_join ? " left join " : " join ") + right.sql + " on " +
             JoinCondition(left, right);
  from.columns = left.columns;
  from.columns.insert(from.columns.end(), right.columns.begin(), right.columns.end());
  return from;
}

// (select ... ) dN exposing dN.a, dN.b (integers) and sometimes dN.c (text): a filtered
// projection, a grouping, a DISTINCT, or a window function's value. Generated on a fresh level
// stack: a derived table does not see the query around it.
QueryGenerator::From QueryGenerator::DerivedTable() {
  std::vector<Level> saved = std::move(levels_);
  levels_.clear();
  From inner = Chance(75) ? BaseTable(false) : JoinedTables(false);
  std::string body;
  bool has_c = false;
  {
    LevelScope scope(*this, inner.columns, 1);
    std::vector<Column> ints, strs;
    for (const Column& c : inner.columns) (c.type == Type::kInt ? ints : strs).push_back(c);
    std::string where = Chance(60) ? " where " + Predicate(2) : "";
    switch (Uniform(4)) {
      case 0: {
        has_c = !strs.empty() && Chance(60);
        body = "select " + IntExpr(1) + " as a, " + IntExpr(1) + " as b" +
               (has_c ? ", " + Pick(strs).sql + " as c" : "") + " from " + inner.sql + where;
        break;
      }
      case 1: {
        const Column key = Pick(ints);
        std::string tail = GroupedTail({key});
        body = "select " + key.sql + " as a, " + Aggregate(Type::kInt) + " as b from " +
               inner.sql + where + tail;
        break;
      }
      case 2: {
        has_c = !strs.empty() && Chance(50);
        body = "select distinct " + Pick(ints).sql + " as a, " + Pick(ints).sql + " as b" +
               (has_c ? ", " + Pick(strs).sql + " as c" : "") + " from " + inner.sql + where;
        break;
      }
      default: {
        const Column partition = Pick(inner.columns);
        const Column order = Pick(ints);
        static const std::vector<std::string> functions = {"rank()", "dense_rank()", "count(*)"};
        body = "select " + order.sql + " as a, " + Pick(functions) + " over (partition by " +
               partition.sql + " order by " + order.sql + (Chance(50) ? " desc" : "") +
               ") as b from " + inner.sql + where;
        break;
      }
    }
  }
  levels_ = std::move(saved);
  From from;
  std::string alias = NewAlias("d");
  from.sql = "(" + body + ") " + alias;
  from.columns = {{alias + ".a", Type::kInt}, {alias + ".b", Type::kInt}};
  if (has_c) from.columns.push_back({alias + ".c", Type::kStr});
  return from;
}

QueryGenerator::From QueryGenerator::TopFrom() {
  int roll = Uniform(100);
  if (roll < 45) return BaseTable(false);
  if (roll < 65) return JoinedTables(false);
  if (roll < 80) return JoinedTables(true);
  return DerivedTable();
}

QueryGenerator::From QueryGenerator::SubqueryFrom(bool need_str) {
  if (Chance(80)) return BaseTable(need_str);
  From left = BaseTable(need_str);
  From right = BaseTable(false);
  From from;
  from.sql = left.sql + " join " + right.sql + " on " + JoinCondition(left, right);
  from.columns = left.columns;
  from.columns.insert(from.columns.end(), right.columns.begin(), right.columns.end());
  return from;
}

// ---------------------------------------------------------------------------------------------
// Top-level queries

// " order by 1 [desc], 2, ... [limit k]" over every output column: a total order on the output
// rows (ties are identical rows), so the LIMIT keeps a deterministic set.
std::string QueryGenerator::OrderLimitTail(int output_columns, GeneratedQuery& query) {
  query.ordered = true;
  std::string out = " order by ";
  for (int i = 1; i <= output_columns; ++i) {
    out += (i > 1 ? ", " : "") + std::to_string(i) + (Chance(30) ? " desc" : "");
  }
  if (Chance(70)) out += " limit " + std::to_string(1 + Uniform(10));
  return out;
}

GeneratedQuery QueryGenerator::PlainQuery() {
  GeneratedQuery query;
  bool ordered = Chance(20);
  allow_avg_ = !ordered;
  From from = TopFrom();
  LevelScope scope(*this, from.columns, 0);
  int n = 1 + Uniform(4);
  std::string items;
  for (int i = 0; i < n; ++i) {
    items += (i > 0 ? ", " : "") + (HasUsable(Type::kStr) && Chance(20) ? StrExpr() : IntExpr(2));
  }
  std::string sql = std::string("select ") + (Chance(10) ? "distinct " : "") + items + " from " +
                    from.sql;
  if (Chance(80)) sql += " where " + Predicate(2);
  if (ordered) sql += OrderLimitTail(n, query);
  query.sql = sql;
  return query;
}

// GROUP BY zero to two columns with aggregates, scalar subqueries reading the grouping columns,
// and HAVING.
GeneratedQuery QueryGenerator::GroupedQuery() {
  GeneratedQuery query;
  bool ordered = Chance(15);
  allow_avg_ = !ordered;
  From from = TopFrom();
  LevelScope scope(*this, from.columns, 0);
  std::string where = Chance(70) ? " where " + Predicate(2) : "";
  std::vector<Column> keys;
  int key_count = Uniform(3);
  for (int i = 0; i < key_count; ++i) {
    const Column& c = Pick(from.columns);
    bool seen = std::any_of(keys.begin(), keys.end(), [&](const Column& k) { return k.sql == c.sql; });
    if (!seen) keys.push_back(c);
  }
  std::string tail;
  if (!keys.empty()) {
    tail = GroupedTail(keys);
  } else {
    Current().usable.clear();
    Current().aggregates = true;
    if (Chance(30)) tail = " having " + Predicate(1);
  }
  std::string items;
  for (const Column& k : keys) items += (items.empty() ? "" : ", ") + k.sql;
  int n = 1 + Uniform(3);
  for (int i = 0; i < n; ++i) {
    std::string item = Chance(60) ? Aggregate(Type::kInt) : IntExpr(2);
    items += (items.empty() ? "" : ", ") + item;
  }
  query.sql = "select " + items + " from " + from.sql + where + tail;
  if (ordered) query.sql += OrderLimitTail(static_cast<int>(keys.size()) + n, query);
  return query;
}

// rank / dense_rank / count / sum / min / max over (partition by ... order by ...): their values
// depend only on the partition and order keys (the default frame includes peers). row_number
// only over a single table ordered by all of its columns, so that tied rows are identical, and
// once per query.
std::string QueryGenerator::WindowFunction(const From& from) {
  std::vector<Column> ints;
  for (const Column& c : from.columns) {
    if (c.type == Type::kInt) ints.push_back(c);
  }
  std::string partition = Chance(60) ? "partition by " + Pick(from.columns).sql : "";
  auto order_by = [&](const std::vector<Column>& columns) {
    std::string out = "order by ";
    for (size_t i = 0; i < columns.size(); ++i) {
      out += (i > 0 ? ", " : "") + columns[i].sql + (Chance(30) ? " desc" : "");
    }
    return out;
  };
  std::vector<Column> keys = {Pick(from.columns)};
  if (Chance(30)) keys.push_back(Pick(from.columns));
  std::string function;
  std::string order;
  int roll = Uniform(100);
  if (roll < 15 && from.single_base_table && !row_number_used_) {
    row_number_used_ = true;  // two would pair their numbers of identical rows arbitrarily
    std::vector<Column> all = from.columns;
    std::shuffle(all.begin(), all.end(), rng_);
    function = "row_number()";
    order = order_by(all);
  } else if (roll < 45) {
    function = Chance(50) ? "rank()" : "dense_rank()";
    order = order_by(keys);
  } else {
    static const std::vector<std::string> aggregates = {"count(*)", "count", "sum", "min", "max"};
    const std::string& name = Pick(aggregates);
    function = name == "count(*)" ? name : name + "(" + Pick(ints).sql + ")";
    if (Chance(60)) order = order_by(keys);
    // An explicit frame that only peer groups bound (RANGE over the one integer key, or
    // GROUPS), so that the value does not depend on how tied rows are ordered.
    if (!order.empty() && Chance(50)) {
      bool range = keys.size() == 1 && keys[0].type == Type::kInt && Chance(60);
      auto offset = [&] { return std::to_string(Uniform(range ? 6 : 3)); };
      int start = Uniform(4);  // unbounded preceding, n preceding, current row, n following
      std::string from_bound = start == 0 ? "unbounded preceding" : start == 1 ? offset() + " preceding"
                             : start == 2 ? "current row" : offset() + " following";
      // An end no earlier in kind than the start (PostgreSQL refuses the others).
      int end = std::max(start, 1) + Uniform(4 - std::max(start, 1));
      std::string to_bound = end == 1 ? offset() + " preceding" : end == 2 ? "current row"
                           : Chance(50) ? offset() + " following" : "unbounded following";
      order += std::string(range ? " range" : " groups") + " between " + from_bound + " and " + to_bound;
    }
  }
  std::string spec = partition;
  if (!order.empty()) spec += (spec.empty() ? "" : " ") + order;
  return function + " over (" + spec + ")";
}

GeneratedQuery QueryGenerator::WindowQuery() {
  GeneratedQuery query;
  allow_avg_ = true;
  From from = TopFrom();
  LevelScope scope(*this, from.columns, 0);
  std::string items;
  int columns = 1 + Uniform(2);
  for (int i = 0; i < columns; ++i) items += (i > 0 ? ", " : "") + Pick(from.columns).sql;
  int functions = 1 + Uniform(2);
  for (int i = 0; i < functions; ++i) items += ", " + WindowFunction(from);
  query.sql = "select " + items + " from " + from.sql;
  if (Chance(60)) query.sql += " where " + Predicate(1);
  return query;
}

GeneratedQuery QueryGenerator::Next() {
  levels_.clear();
  subqueries_left_ = 3;
  row_number_used_ = false;
  int roll = Uniform(100);
  if (roll < 55) return PlainQuery();
  if (roll < 85) return GroupedQuery();
  return WindowQuery();
}

}  // namespace strata::difftest

// The random query generator of the differential test (random_queries_main.cpp). From one seed
// it makes the three small tables (DDL and rows, the same in both engines) and a deterministic
// stream of SELECT queries whose answers are fully determined by the data: no division, no LIMIT
// without a total order on what it keeps, no row_number over ties, so PostgreSQL's answer is the
// oracle for Strata's. The queries concentrate on subqueries: correlation predicates with every
// comparison operator (one, two with AND or OR, or none), EXISTS / IN / ANY / ALL / scalar
// subqueries in WHERE, SELECT and HAVING, subqueries with GROUP BY / HAVING / DISTINCT / LIMIT,
// nesting up to two levels with the inner one reading the outermost query's columns; plus joins,
// derived tables, grouping and deterministic window functions around them.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace strata::difftest {

struct GeneratedQuery {
  std::string sql;
  bool ordered = false;  // the top-level ORDER BY covers every output column: compare in order
};

// CREATE TABLE and INSERT statements for r1(a, b, c), r2(a, b, c), r3(x, y). `postgres` has
// plain DDL; `strata` the same tables with distribution styles (the rows are identical).
struct DataSetup {
  std::vector<std::string> postgres;
  std::vector<std::string> strata;
  std::vector<std::string> drops;  // drop table if exists ..., for a reused server
};
DataSetup MakeData(uint64_t seed);

class QueryGenerator {
 public:
  explicit QueryGenerator(uint64_t seed);
  GeneratedQuery Next();

  enum class Type { kInt, kStr };
  struct Column {
    std::string sql;  // qualified reference, "t3.a"
    Type type;
  };

 private:
  // What a FROM clause exposes.
  struct From {
    std::string sql;
    std::vector<Column> columns;
    bool single_base_table = false;  // one table of the schema: `columns` is its whole row
  };
  // One query level (the top-level query or a subquery) while it is being generated.
  struct Level {
    std::vector<Column> all;     // every column of the level's FROM
    std::vector<Column> usable;  // what may appear outside aggregates (grouped columns after GROUP BY)
    bool aggregates = false;     // select list / HAVING of a grouped level: aggregates allowed
    int depth = 0;               // subquery nesting depth, 0 for the top level
    bool parent_only = false;    // correlation only with the level just outside
  };
  class LevelScope;  // pushes a Level for the lifetime of a block

  // Randomness.
  int Uniform(int n);  // 0 .. n-1
  bool Chance(int percent);
  template <typename T>
  const T& Pick(const std::vector<T>& items) { return items[Uniform(static_cast<int>(items.size()))]; }
  std::string NewAlias(const char* prefix);

  // Literals and operators.
  std::string IntLiteral();
  std::string StrLiteral();
  std::string Literal(Type type);
  std::string ComparisonOp();

  Level& Current() { return levels_.back(); }
  bool CanNest() const;  // another subquery level allowed here
  // A bare column of the current level of `type`, or a literal when there is none.
  std::string Operand(Type type);
  bool HasUsable(Type type);

  // Scalar expressions.
  std::string IntExpr(int budget);
  std::string StrExpr();
  std::string Expr(Type type, int budget);
  std::string Aggregate(Type type);  // count / sum / min / max / avg over the current level
  std::string CaseWhen(int budget);

  // Predicates.
  std::string Predicate(int budget);
  std::string SimplePredicate();
  std::string Comparison();
  std::string NullTest();
  std::string InList();
  std::string Between();
  std::string Like();
  std::string SubqueryPredicate();
  std::string ExistsPredicate();
  std::string InSubqueryPredicate();
  std::string QuantifiedPredicate();
  std::string SetOperand(Type type);  // left side of IN / ANY / ALL
  std::string ScalarComparison();

  // Correlation between the current (inner) level and an outer one.
  std::string CorrelationPredicate();
  std::string CorrelationClause();  // none, one, two with AND, two with OR
  // Correlation and local filter combined.
  std::string SubqueryWhere();

  // Subqueries (each pushes its own level).
  std::string ScalarSubquery(Type type);
  std::string ScalarAggregateSubquery(Type type);
  std::string ScalarLimitSubquery(Type type);
  std::string ScalarOverDerivedSubquery();
  std::string SetSubquery(Type type, bool parent_only);  // one column, for IN / ANY / ALL
  bool InsideSubquery() { return Current().depth >= 1; }
  std::string ExistsSubquery();
  std::string GroupedTail(const std::vector<Column>& keys);  // GROUP BY ... [HAVING ...]

  // FROM clauses.
  From BaseTable(bool need_str);
  From JoinedTables(bool left);
  From DerivedTable();
  From TopFrom();
  From SubqueryFrom(bool need_str);
  std::string JoinCondition(const From& left, const From& right);

  // Top-level query shapes.
  GeneratedQuery PlainQuery();
  GeneratedQuery GroupedQuery();
  GeneratedQuery WindowQuery();
  std::string WindowFunction(const From& from);
  std::string OrderLimitTail(int output_columns, GeneratedQuery& query);

  std::mt19937_64 rng_;
  std::vector<Level> levels_;
  int alias_counter_ = 0;
  int subqueries_left_ = 0;  // per query, keeps queries small
  bool allow_avg_ = true;    // off when the answer is compared in order
  bool row_number_used_ = true;
};

}  // namespace strata::difftest

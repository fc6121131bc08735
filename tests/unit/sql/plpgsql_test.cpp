// sql/plpgsql.h: reading a PL/pgSQL body, and putting variables into SQL text.
#include "sql/plpgsql.h"

#include <gtest/gtest.h>

#include "sql/error.h"

namespace strata::plpgsql {
namespace {

std::optional<std::string> Vars(const std::string& name, const std::string& field) {
  if (name == "x" && field.empty()) return "CAST('1' AS integer)";
  if (name == "$1" && field.empty()) return "CAST('a''b' AS text)";
  if (name == "r" && field == "a") return "CAST('7' AS bigint)";
  return std::nullopt;
}

TEST(SubstituteVariables, ReplacesOnlyVariables) {
  EXPECT_EQ(SubstituteVariables("x + 1", Vars), "CAST('1' AS integer) + 1");
  EXPECT_EQ(SubstituteVariables("select X, t.x, 'x', \"y\", x(2) from t", Vars),
            "select CAST('1' AS integer), t.x, 'x', \"y\", x(2) from t");
  EXPECT_EQ(SubstituteVariables("$1 || r.a || r . a || r.b -- x\n/* x */ $$x$$ 1e5x", Vars),
            "CAST('a''b' AS text) || CAST('7' AS bigint) || CAST('7' AS bigint) || r.b -- x\n/* x */ $$x$$ 1e5x");
  EXPECT_EQ(SubstituteVariables("E'\\'x' x", Vars), "E'\\'x' CAST('1' AS integer)");
}

TEST(ParseRoutine, ReadsStatementsAndVariables) {
  Routine r = ParseRoutine(
      "CREATE PROCEDURE p(a int) AS $$ DECLARE n int := a + 1; rec record; BEGIN "
      "IF n > 1 THEN n := 2; ELSIF n = 0 THEN n = 3; ELSE NULL; END IF; "
      "FOR i IN 1..a LOOP EXIT WHEN i > 3; END LOOP; "
      "FOR rec IN SELECT 1 AS c LOOP RAISE NOTICE '%', rec.c; END LOOP; "
      "SELECT 1 INTO STRICT n; EXECUTE 'select 1'; COMMIT; END $$ LANGUAGE plpgsql",
      1);
  ASSERT_EQ(r.variables.size(), 3u);
  EXPECT_EQ(r.variables[0].name, "n");
  EXPECT_EQ(r.variables[0].type, "int");
  EXPECT_EQ(*r.variables[0].default_expr, "a + 1");
  EXPECT_EQ(r.variables[1].type, "record");
  EXPECT_TRUE(r.variables[2].loop_variable);
  const auto& body = r.block.body;
  ASSERT_GE(body.size(), 6u);
  EXPECT_EQ(body[0].kind, Stmt::Kind::kIf);
  EXPECT_EQ(body[0].body[0].target, "n");
  EXPECT_EQ(body[0].body[0].expr, " 2");
  EXPECT_EQ(body[0].elsifs.size(), 1u);
  EXPECT_EQ(body[1].kind, Stmt::Kind::kForInt);
  EXPECT_EQ(body[2].kind, Stmt::Kind::kForQuery);
  EXPECT_EQ(body[2].into, std::vector<std::string>{"rec"});
  EXPECT_EQ(body[3].kind, Stmt::Kind::kExecSql);
  EXPECT_TRUE(body[3].strict);
  EXPECT_EQ(body[4].kind, Stmt::Kind::kDynExecute);
  EXPECT_EQ(body[5].kind, Stmt::Kind::kCommit);
}

TEST(ParseRoutine, RefusesWhatItCannotRun) {
  auto state = [](const std::string& body) {
    try {
      ParseRoutine("CREATE PROCEDURE p() AS $$ " + body + " $$ LANGUAGE plpgsql", 0);
    } catch (const SqlError& e) {
      return e.sqlstate();
    }
    return std::string("ok");
  };
  EXPECT_EQ(state("BEGIN x := 1; END"), "42601");
  EXPECT_EQ(state("BEGIN NULL; EXCEPTION WHEN division_by_zero THEN NULL; END"), "ok");
  EXPECT_EQ(state("BEGIN NULL; EXCEPTION WHEN invalid_schema_definition THEN NULL; END"), "0A000");  // not among the names known
  EXPECT_EQ(state("BEGIN NULL; EXCEPTION WHEN no_such_condition THEN NULL; END"), "42704");
  EXPECT_EQ(state("BEGIN RAISE EXCEPTION 'x' USING COLUMN = 'c'; END"), "0A000");
  EXPECT_EQ(state("DECLARE c refcursor; BEGIN OPEN c FOR SELECT 1; CLOSE c; END"), "ok");
  EXPECT_EQ(state("DECLARE c refcursor; BEGIN OPEN c FOR EXECUTE 'select 1'; END"), "0A000");
  EXPECT_EQ(state("BEGIN EXECUTE 'select $1' USING 1; END"), "ok");
  EXPECT_EQ(state("BEGIN NULL; EXCEPTION WHEN others THEN NULL; END"), "ok");
  EXPECT_EQ(state("DECLARE c text; BEGIN GET DIAGNOSTICS c = PG_CONTEXT; END"), "0A000");
  EXPECT_EQ(state("DECLARE c int; BEGIN GET DIAGNOSTICS c = ROW_COUNT; END"), "ok");
  EXPECT_EQ(state("BEGIN RETURN; END"), "ok");
}

}  // namespace
}  // namespace strata::plpgsql

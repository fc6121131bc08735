// The body of a stored procedure (CREATE PROCEDURE ... LANGUAGE plpgsql) as a small tree of
// statements, read from libpg_query's pg_query_parse_plpgsql (which answers JSON), and the text
// substitution that puts a procedure's variables into the SQL it runs.
//
// The parser of PL/pgSQL keeps every expression and SQL statement as text (an expression `x + 1`
// is run as `SELECT x + 1`), and names variables by their index among the function's "datums"
// (arguments first, then `found`, then the DECLAREd variables and loop variables). The tree
// below keeps names instead: a procedure's variables live in one flat namespace
// (server/leader_procedures.cpp), so `x := x + 1` assigns the variable named x.
//
// Cursors: OPEN v FOR query, OPEN c (a bound cursor), FETCH [direction] [FROM] c INTO ..., CLOSE c.
// libpg_query's parser has no catalog to tell that a variable is a refcursor, so those
// statements are taken out of the text before it parses it (ParseRoutine) and put back in the
// tree in their place.
//
// Statements outside the subset below (MOVE, GET DIAGNOSTICS other than ROW_COUNT, RAISE USING
// COLUMN / TABLE / ...) are refused with 0A000 when the procedure is created.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::plpgsql {

// A DECLAREd variable (or a loop variable, which has no declaration of its own).
struct Variable {
  std::string name;
  std::string type;  // as written ("int", "varchar(20)", "record"); empty for an argument or loop variable
  std::optional<std::string> default_expr;
  bool loop_variable = false;
  // A bound cursor (`c CURSOR FOR query`): its query, which OPEN c runs.
  std::optional<std::string> cursor_query;
};

struct Stmt {
  enum class Kind {
    kBlock, kAssign, kIf, kWhile, kLoop, kExit, kForInt, kForQuery, kRaise, kExecSql, kDynExecute,
    kReturn, kCommit, kRollback, kPerform, kCase, kRowCount,
    kOpen, kFetch, kClose  // cursors: `target` is the cursor variable
  } kind = Kind::kBlock;
  int line = 0;
  std::string target;             // kAssign, kRowCount: the variable; kForInt: the loop variable;
                                  // kCase: the variable holding CASE x's value ("" for CASE WHEN)
  std::vector<std::string> into;  // kExecSql / kDynExecute INTO, kForQuery's variables
  bool has_into = false, strict = false;
  std::string expr;               // kAssign's value; kWhile / kExit / kIf's first condition;
                                  // kExecSql / kForQuery / kPerform's SQL; kDynExecute's string;
                                  // kForInt's lower bound; kRaise's message
  std::string upper, step;        // kForInt; kFetch's direction in `upper` ("NEXT", "ABSOLUTE 3", ...)
  bool reverse = false;           // kForInt
  bool is_exit = true;            // kExit: EXIT (true) or CONTINUE
  std::string label;              // kExit's label, a loop's label
  int raise_level = 0;            // kRaise: 17 INFO, 18 NOTICE, 19 WARNING, 21 EXCEPTION, <17 DEBUG/LOG
  std::vector<std::string> params;  // kRaise's % arguments; kDynExecute's USING expressions
  std::vector<Stmt> body;          // a block's, a loop's, IF's THEN branch
  std::vector<std::pair<std::string, std::vector<Stmt>>> elsifs;  // kIf; kCase's WHENs
  std::vector<Stmt> else_body;     // kIf, kCase
  bool has_else = true;            // kCase: without ELSE, no matching WHEN is 20000
  // kBlock: EXCEPTION WHEN condition [OR ...] THEN handler ...: per WHEN, the SQLSTATEs it
  // catches ("" for OTHERS; a class such as "22000" catches the whole class) and its statements.
  bool has_handler = false;
  std::vector<std::pair<std::vector<std::string>, std::vector<Stmt>>> handlers;
  // kRaise ... USING: ERRCODE (a 5-character SQLSTATE, or "" for P0001), and the expressions of
  // MESSAGE, DETAIL and HINT ("" when not given). RAISE condition gives the code and, without a
  // message, the condition's name as the message (`expr` then empty and `message_expr` unset).
  std::string errcode;
  std::string message_expr, detail_expr, hint_expr;
};

struct Routine {
  std::vector<Variable> variables;  // DECLAREd and loop variables, in order of declaration
  Stmt block;
};

// Parses `create_sql`, a CREATE PROCEDURE statement whose body is PL/pgSQL. Throws SqlError
// 42601 for a syntax error in the body and 0A000 for a statement Strata cannot run yet.
Routine ParseRoutine(const std::string& create_sql, int argument_count);

// `sql` with every identifier `lookup` knows replaced by what it returns: lookup(name, field) is
// called for a bare identifier (field empty) and for `name.field`, which it replaces whole when
// it answers; it answers nullopt for an identifier that is no variable. String literals, quoted
// text, comments, identifiers after a dot and names of called functions are left alone.
std::string SubstituteVariables(
    std::string_view sql,
    const std::function<std::optional<std::string>(const std::string& name, const std::string& field)>& lookup);

// The SQLSTATE of an exception condition's name (division_by_zero, unique_violation, ... : the
// names most used in procedures), or `name` itself when it is a five-character code; 0A000 for
// a name it does not know.
std::string ConditionSqlstate(const std::string& name);

// `text` as a single-quoted SQL string literal.
std::string QuoteLiteral(std::string_view text);

}  // namespace strata::plpgsql

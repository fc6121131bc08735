// CALL: runs a stored procedure (CREATE PROCEDURE ... LANGUAGE plpgsql, server/leader_functions.cpp)
// on the leader, statement by statement, over the tree sql/plpgsql.h reads from its body.
//
// Variables hold text (a value's output form, or NULL) and the type they were declared with. An
// expression runs as `SELECT expr` through the ordinary binder and cluster, with every variable
// it names replaced by a typed literal (`CAST('41' AS integer)`), and an SQL statement of the
// body runs the same way, in the CALL's transaction. So `x := x + 1` runs
// `SELECT CAST((CAST('41' AS integer) + 1) AS integer)` and stores "42".
//
// Transactions follow Redshift (and PostgreSQL's non-atomic CALL): a CALL outside a transaction
// block runs in its own transaction, which COMMIT and ROLLBACK inside the body end (a new one
// starts at once); inside a block they fail with 2D000. An error ends the CALL and rolls back
// what it has not committed; a block's EXCEPTION WHEN OTHERS handler runs first, in a
// transaction of its own that is committed before the error goes on (Redshift's rule). Loops stop at a cancel or at statement_timeout (57014): every
// statement and every iteration checks for them.
#include "executor/expression.h"
#include "planner/bind_helpers.h"
#include "planner/binder.h"
#include "planner/optimizer.h"
#include "planner/sql_functions.h"
#include "server/leader_session.h"
#include "sql/error.h"
#include "sql/redshift_dialect.h"  // ScanSqlTokens
#include "sql/parser.h"
#include "sql/plpgsql.h"
#include "sql/value_text.h"

#include <cctype>

namespace strata {

namespace {

constexpr int kMaxCallNesting = 32;

// The type name a value of type `t` is cast to when it is put back into SQL.
std::string CastTypeText(const SqlType& t) {
  if (t.id == TypeId::kNull) return "text";
  if (t.id == TypeId::kDecimal) return "numeric";
  return t.ToString();
}

// A declared type that takes any numeric value as it is: PostgreSQL's NUMERIC without precision
// (Strata's would be NUMERIC(18,0), Redshift's default, and round 0.10 to 0).
bool UnboundedNumericText(const std::string& type) {
  std::string t;
  for (char c : type) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t == "numeric" || t == "decimal";
}

// `expr` converted to a variable's declared type.
std::string CastTo(const std::string& expr, const std::string& type) {
  if (type.empty() || UnboundedNumericText(type)) return expr;
  return StrCat("CAST((", expr, ") AS ", type, ")");
}

// A numeric value as SQL: a literal of its own precision and scale ("0.10" is numeric(3,2)).
bool NumberText(const std::string& s) {
  size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0, digits = 0, dots = 0;
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) ++digits;
    else if (s[i] == '.') ++dots;
    else return false;
  }
  return digits > 0 && dots <= 1;
}

}  // namespace

class ProcedureRun {
 public:
  explicit ProcedureRun(LeaderSession* s) : session_(s) {}

  struct Value {
    std::optional<std::string> text;
    std::string type;  // empty: untyped (put in as a string literal)
    bool is_record = false;
    bool assigned = false;  // a record: whether a row was assigned
    std::vector<std::string> field_names, field_types;
    std::vector<std::optional<std::string>> field_values;

    static Value Scalar(std::optional<std::string> text, std::string type) {
      Value v;
      v.text = std::move(text);
      v.type = std::move(type);
      return v;
    }
  };
  std::map<std::string, Value> vars;

  enum class Flow { kNormal, kExit, kContinue, kReturn };

  void Declare(const plpgsql::Variable& v) {
    if (v.loop_variable) return;
    Value value;
    if (v.cursor_query) {
      // A bound cursor: its portal is named after the variable, as in PostgreSQL.
      value.text = v.name;
      cursor_queries_[v.name] = *v.cursor_query;
    } else if (v.type == "refcursor") {
      // A cursor's name, as untyped text (Strata has no refcursor type).
      if (v.default_expr) value.text = Eval(*v.default_expr);
    } else if (v.type == "record") {
      value.is_record = true;
    } else {
      value.type = v.type;
      if (v.default_expr) value.text = Eval(CastTo(*v.default_expr, v.type));
    }
    vars[v.name] = std::move(value);
  }

  Flow Run(const plpgsql::Stmt& s) {
    CheckCancel();
    using K = plpgsql::Stmt::Kind;
    switch (s.kind) {
      case K::kBlock: {
        Flow f = s.has_handler ? RunTrapped(s) : RunList(s.body);
        if (f == Flow::kExit && !s.label.empty() && exit_label_ == s.label) {
          exit_label_.clear();
          return Flow::kNormal;
        }
        return f;
      }
      case K::kAssign: Assign(s.target, s.expr); return Flow::kNormal;
      case K::kIf: {
        if (EvalBool(s.expr)) return RunList(s.body);
        for (const auto& [cond, body] : s.elsifs) {
          if (EvalBool(cond)) return RunList(body);
        }
        return RunList(s.else_body);
      }
      case K::kWhile:
      case K::kLoop:
        while (true) {
          CheckCancel();
          if (s.kind == K::kWhile && !EvalBool(s.expr)) break;
          Flow f = RunList(s.body);
          if (LeavesLoop(f, s.label)) return f == Flow::kReturn || !exit_label_.empty() ? f : Flow::kNormal;
        }
        return Flow::kNormal;
      case K::kExit:
        if (!s.expr.empty() && !EvalBool(s.expr)) return Flow::kNormal;
        exit_label_ = s.label;
        return s.is_exit ? Flow::kExit : Flow::kContinue;
      case K::kForInt: return ForInt(s);
      case K::kForQuery: return ForQuery(s);
      case K::kRaise: Raise(s); return Flow::kNormal;
      case K::kExecSql: ExecSql(Substitute(s.expr), s, /*dynamic=*/false); return Flow::kNormal;
      case K::kDynExecute: {
        std::optional<std::string> sql = Eval(s.expr);
        if (!sql) throw SqlError(sqlstate::kNullValueNotAllowed, "query string argument of EXECUTE is null");
        ExecSql(s.params.empty() ? *sql : WithUsingValues(*sql, s.params), s, /*dynamic=*/true);
        return Flow::kNormal;
      }
      case K::kPerform: {
        ProcedureRows r = session_->RunProcedureSql(Substitute(s.expr));
        SetFound(!r.rows.empty());
        row_count_ = static_cast<int64_t>(r.rows.size());
        return Flow::kNormal;
      }
      case K::kCase: {
        if (!s.target.empty()) {
          ProcedureRows r = session_->RunProcedureSql(StrCat("SELECT ", Substitute(s.expr)));
          if (r.columns.size() != 1 || r.rows.size() > 1) {
            throw SqlError(sqlstate::kSyntaxError, "CASE expression must return one value");
          }
          vars[s.target] = Value::Scalar(r.rows.empty() ? std::nullopt : r.rows[0][0], CastTypeText(r.columns[0].type));
        }
        for (const auto& [cond, body] : s.elsifs) {
          if (EvalBool(cond)) return RunList(body);
        }
        if (!s.has_else) throw SqlError(sqlstate::kCaseNotFound, "case not found").WithHint("CASE statement is missing ELSE part.");
        return RunList(s.else_body);
      }
      case K::kRowCount: {
        Value& v = Variable(s.target);
        v.text = Eval(CastTo(std::to_string(row_count_), v.type));
        return Flow::kNormal;
      }
      case K::kOpen: OpenCursor(s); return Flow::kNormal;
      case K::kFetch: {
        ProcedureRows r = session_->RunProcedureSql(StrCat("FETCH ", s.upper, " FROM ", QuoteIdentifier(CursorName(s.target))));
        SetTargets(s.into, r, r.rows.empty() ? nullptr : &r.rows[0]);
        SetFound(!r.rows.empty());
        row_count_ = static_cast<int64_t>(r.rows.size());
        return Flow::kNormal;
      }
      case K::kClose: session_->RunProcedureSql(StrCat("CLOSE ", QuoteIdentifier(CursorName(s.target)))); return Flow::kNormal;
      case K::kReturn: return Flow::kReturn;
      case K::kCommit:
      case K::kRollback: session_->EndProcedureTransaction(s.kind == K::kCommit); return Flow::kNormal;
    }
    return Flow::kNormal;
  }

  Flow RunList(const std::vector<plpgsql::Stmt>& list) {
    for (const auto& s : list) {
      Flow f = Run(s);
      if (f != Flow::kNormal) return f;
    }
    return Flow::kNormal;
  }

  std::optional<std::string> Eval(const std::string& expr) {
    ProcedureRows r = session_->RunProcedureSql(StrCat("SELECT ", Substitute(expr)));
    if (r.columns.size() != 1) {
      throw SqlError(sqlstate::kSyntaxError, StrCat("query \"SELECT ", expr, "\" returned ", r.columns.size(), " columns"));
    }
    if (r.rows.size() > 1) throw SqlError(sqlstate::kCardinalityViolation, "query returned more than one row");
    if (r.rows.empty()) return std::nullopt;
    return r.rows[0][0];
  }

 private:
  // A block with EXCEPTION WHEN OTHERS, as Redshift runs it: on an error (other than a cancel),
  // the transaction is rolled back, the handler runs in a new one, which is committed, and the
  // error is raised again. Inside a transaction block the CALL cannot end transactions, so the
  // error goes on at once (the block fails and rolls back anyway).
  Flow RunTrapped(const plpgsql::Stmt& s) {
    try {
      return RunList(s.body);
    } catch (const SqlError& e) {
      if (e.sqlstate() == sqlstate::kQueryCanceled || !session_->call_nonatomic_) throw;
      // The first WHEN whose condition the error meets: OTHERS (anything but a cancel), a class
      // ("22000": any 22xxx) or the exact code. None: the error goes on.
      const std::vector<plpgsql::Stmt>* handler = nullptr;
      for (const auto& [codes, body] : s.handlers) {
        for (const std::string& code : codes) {
          bool match = code.empty() ? e.sqlstate() != "P0004"
                       : code.size() == 5 && code.compare(2, 3, "000") == 0 ? e.sqlstate().compare(0, 2, code, 0, 2) == 0
                                                                              : e.sqlstate() == code;
          if (match && handler == nullptr) handler = &body;
        }
      }
      if (handler == nullptr) throw;
      session_->EndProcedureTransaction(/*commit=*/false);
      vars["sqlstate"] = Value::Scalar(e.sqlstate(), "text");
      vars["sqlerrm"] = Value::Scalar(e.message(), "text");
      RunList(*handler);
      session_->EndProcedureTransaction(/*commit=*/true);
      throw;
    }
  }

  // A loop body ended with `f`: whether the loop ends (EXIT, RETURN, or a CONTINUE / EXIT of
  // an outer loop's label). A CONTINUE of this loop continues it.
  bool LeavesLoop(Flow f, const std::string& label) {
    if (f == Flow::kReturn) return true;
    if (f == Flow::kNormal) return false;
    bool mine = exit_label_.empty() || exit_label_ == label;
    if (mine) exit_label_.clear();
    if (f == Flow::kContinue) return !mine;
    return true;
  }

  void CheckCancel() {
    if (session_->cancelled_.load()) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }

  std::optional<std::string> Lookup(const std::string& name, const std::string& field) {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    const Value& v = it->second;
    if (v.is_record) {
      if (field.empty()) return std::nullopt;
      if (!v.assigned) {
        throw SqlError("55000"  /* object_not_in_prerequisite_state */,
                       StrCat("record \"", name, "\" is not assigned yet"))
            .WithDetail("The tuple structure of a not-yet-assigned record is indeterminate.");
      }
      for (size_t i = 0; i < v.field_names.size(); ++i) {
        if (v.field_names[i] == field) return Literal(v.field_values[i], v.field_types[i]);
      }
      throw SqlError(sqlstate::kUndefinedColumn, StrCat("record \"", name, "\" has no field \"", field, "\""));
    }
    if (!field.empty()) return std::nullopt;
    return Literal(v.text, v.type);
  }

  // EXECUTE 'sql' USING a, b: each $n of the string (outside its literals and quoted names)
  // becomes the n-th value as a typed literal; 42P02 for a $n past the values given.
  std::string WithUsingValues(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<std::string> values;
    for (const std::string& p : params) {
      ProcedureRows r = session_->RunProcedureSql(StrCat("SELECT ", Substitute(p)));
      if (r.columns.size() != 1 || r.rows.size() > 1) throw SqlError(sqlstate::kSyntaxError, "an EXECUTE ... USING value must be one value");
      std::optional<std::string> text = r.rows.empty() ? std::nullopt : r.rows[0][0];
      values.push_back(Literal(text, CastTypeText(r.columns[0].type)));
    }
    std::vector<SqlToken> tokens;
    if (!ScanSqlTokens(sql, &tokens)) return sql;  // running it reports the text's error
    std::string out;
    size_t copied = 0;
    for (const SqlToken& t : tokens) {
      std::string_view text = std::string_view(sql).substr(t.start, t.end - t.start);
      if (text.size() < 2 || text[0] != '$' || text.find_first_not_of("0123456789", 1) != std::string_view::npos) continue;
      size_t n = std::stoul(std::string(text.substr(1)));
      if (n < 1 || n > values.size()) throw SqlError(sqlstate::kUndefinedParameter, StrCat("there is no parameter $", n));
      out += sql.substr(copied, static_cast<size_t>(t.start) - copied);
      out += "(" + values[n - 1] + ")";
      copied = static_cast<size_t>(t.end);
    }
    return out + sql.substr(copied);
  }

  static std::string Literal(const std::optional<std::string>& text, const std::string& type) {
    if (text && UnboundedNumericText(type) && NumberText(*text)) return StrCat("(", *text, ")");
    std::string value = text ? plpgsql::QuoteLiteral(*text) : "NULL";
    if (UnboundedNumericText(type) && text) return value;
    if (type.empty()) return text ? value : "CAST(NULL AS text)";
    return StrCat("CAST(", value, " AS ", type, ")");
  }

  std::string Substitute(const std::string& sql) {
    return plpgsql::SubstituteVariables(sql, [this](const std::string& n, const std::string& f) { return Lookup(n, f); });
  }

  bool EvalBool(const std::string& cond) {
    std::optional<std::string> v = Eval(StrCat("CAST((", cond, ") AS boolean)"));
    return v && (*v == "t" || *v == "true");
  }

  Value& Variable(const std::string& name) {
    auto it = vars.find(name);
    if (it == vars.end()) throw SqlError(sqlstate::kSyntaxError, StrCat("\"", name, "\" is not a known variable"));
    return it->second;
  }

  void Assign(const std::string& name, const std::string& expr) {
    Value& v = Variable(name);
    if (v.is_record) throw SqlError(sqlstate::kFeatureNotSupported, "assigning to a record variable is not supported yet");
    v.text = Eval(CastTo(expr, v.type));
  }

  void SetFound(bool found) { vars["found"] = Value::Scalar(found ? "t" : "f", "boolean"); }

  // Puts one row (nullptr: none) into `targets`: a record takes the whole row; scalar variables
  // take its columns in order, each cast to its type.
  void SetTargets(const std::vector<std::string>& targets, const ProcedureRows& r, const std::vector<std::optional<std::string>>* row) {
    if (targets.size() == 1 && Variable(targets[0]).is_record) {
      Value& rec = Variable(targets[0]);
      rec.assigned = true;
      rec.field_names.clear();
      rec.field_types.clear();
      rec.field_values.clear();
      for (size_t i = 0; i < r.columns.size(); ++i) {
        rec.field_names.push_back(r.columns[i].name);
        rec.field_types.push_back(CastTypeText(r.columns[i].type));
        rec.field_values.push_back(row ? (*row)[i] : std::nullopt);
      }
      return;
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      Value& v = Variable(targets[i]);
      std::optional<std::string> text = row && i < row->size() ? (*row)[i] : std::nullopt;
      if (text && !v.type.empty() && i < r.columns.size()) {
        // The column's value converted to the variable's type now, so that a bad value fails here.
        text = Eval(CastTo(Literal(text, CastTypeText(r.columns[i].type)), v.type));
      }
      v.text = text;
    }
  }

  void ExecSql(const std::string& sql, const plpgsql::Stmt& s, bool dynamic) {
    bool is_query = false;
    ProcedureRows r = session_->RunProcedureSql(sql, &is_query);
    if (!s.has_into) {
      if (is_query && !dynamic) {
        throw SqlError(sqlstate::kSyntaxError, "query has no destination for result data")
            .WithHint("If you want to discard the results of a SELECT, use PERFORM instead.");
      }
      if (!is_query) {
        size_t space = r.command_tag.rfind(' ');
        std::string count = space == std::string::npos ? "" : r.command_tag.substr(space + 1);
        row_count_ = !count.empty() && std::isdigit(static_cast<unsigned char>(count[0])) ? std::stoll(count) : 0;
        SetFound(row_count_ > 0);
      } else {
        row_count_ = static_cast<int64_t>(r.rows.size());
      }
      return;
    }
    if (r.rows.empty() && s.strict) throw SqlError(sqlstate::kNoDataFound, "query returned no rows");
    if (r.rows.size() > 1 && s.strict) throw SqlError(sqlstate::kTooManyRows, "query returned more than one row");
    SetTargets(s.into, r, r.rows.empty() ? nullptr : &r.rows[0]);
    SetFound(!r.rows.empty());
    row_count_ = r.rows.empty() ? 0 : 1;
  }

  Flow ForInt(const plpgsql::Stmt& s) {
    auto bound = [&](const std::string& e, const char* what) {
      std::optional<std::string> v = Eval(StrCat("CAST((", e, ") AS bigint)"));
      if (!v) throw SqlError(sqlstate::kNullValueNotAllowed, StrCat(what, " of FOR loop cannot be null"));
      return std::stoll(*v);
    };
    int64_t lower = bound(s.expr, "lower bound");
    int64_t upper = bound(s.upper, "upper bound");
    int64_t step = s.step.empty() ? 1 : bound(s.step, "BY value");
    if (step <= 0) throw SqlError(sqlstate::kInvalidParameterValue, "BY value of FOR loop must be greater than zero");
    std::optional<Value> outer;
    if (auto it = vars.find(s.target); it != vars.end()) outer = it->second;
    Flow result = Flow::kNormal;
    for (int64_t i = lower; s.reverse ? i >= upper : i <= upper;) {
      CheckCancel();
      vars[s.target] = Value::Scalar(std::to_string(i), "integer");
      Flow f = RunList(s.body);
      if (LeavesLoop(f, s.label)) {
        result = f == Flow::kReturn || !exit_label_.empty() ? f : Flow::kNormal;
        break;
      }
      if (s.reverse ? __builtin_sub_overflow(i, step, &i) : __builtin_add_overflow(i, step, &i)) break;
    }
    if (outer) vars[s.target] = *outer; else vars.erase(s.target);
    return result;
  }

  Flow ForQuery(const plpgsql::Stmt& s) {
    ProcedureRows r = session_->RunProcedureSql(Substitute(s.expr));
    Flow result = Flow::kNormal;
    for (const auto& row : r.rows) {
      CheckCancel();
      SetTargets(s.into, r, &row);
      Flow f = RunList(s.body);
      if (LeavesLoop(f, s.label)) {
        result = f == Flow::kReturn || !exit_label_.empty() ? f : Flow::kNormal;
        break;
      }
    }
    SetFound(!r.rows.empty());
    return result;
  }

  // The portal a cursor variable names (its value); 34000 when it names none.
  std::string CursorName(const std::string& variable) {
    const Value& v = Variable(variable);
    if (!v.text) throw SqlError(sqlstate::kInvalidCursorName, StrCat("cursor variable \"", variable, "\" is null"));
    return *v.text;
  }

  // OPEN v FOR query / OPEN c (bound): DECLARE the portal the variable names — a new
  // "<unnamed portal n>" when it is NULL, which the variable then holds (so an INOUT refcursor
  // argument hands the cursor to the caller, who FETCHes from it in the same transaction).
  void OpenCursor(const plpgsql::Stmt& s) {
    std::string query = s.expr;
    if (query.empty()) {
      auto it = cursor_queries_.find(s.target);
      if (it == cursor_queries_.end()) {
        throw SqlError(sqlstate::kSyntaxError, StrCat("cursor \"", s.target, "\" has no query: OPEN it FOR a query"));
      }
      query = it->second;
    }
    Value& v = Variable(s.target);
    if (!v.text) v.text = StrCat("<unnamed portal ", ++session_->unnamed_portals_, ">");
    session_->RunProcedureSql(StrCat("DECLARE ", QuoteIdentifier(*v.text), " CURSOR FOR ", Substitute(query)));
  }

  void Raise(const plpgsql::Stmt& s) {
    std::string msg;
    size_t next = 0;
    for (size_t i = 0; i < s.expr.size(); ++i) {
      if (s.expr[i] != '%') {
        msg += s.expr[i];
      } else if (i + 1 < s.expr.size() && s.expr[i + 1] == '%') {
        msg += '%';
        ++i;
      } else {
        if (next >= s.params.size()) throw SqlError(sqlstate::kSyntaxError, "too few parameters specified for RAISE");
        std::optional<std::string> v = Eval(s.params[next++]);
        msg += v ? *v : "<NULL>";
      }
    }
    if (next < s.params.size()) throw SqlError(sqlstate::kSyntaxError, "too many parameters specified for RAISE");
    // USING MESSAGE / ERRCODE / DETAIL / HINT (expressions), and RAISE condition's code.
    auto option = [&](const std::string& e) { return e.empty() ? std::string() : Eval(e).value_or(""); };
    if (!s.message_expr.empty()) msg = option(s.message_expr);
    std::string code = s.errcode;
    if (!code.empty() && code[0] == '=') code = plpgsql::ConditionSqlstate(option(code.substr(1)));
    if (code.empty()) code = sqlstate::kRaiseException;
    if (s.raise_level >= 21) {
      SqlError err(code, msg);
      if (!s.detail_expr.empty()) err.WithDetail(option(s.detail_expr));
      if (!s.hint_expr.empty()) err.WithHint(option(s.hint_expr));
      throw err;
    }
    if (s.raise_level >= 17) session_->procedure_notices_.push_back(msg);
  }

  LeaderSession* session_;
  std::map<std::string, std::string> cursor_queries_;  // bound cursors: variable -> query
  int64_t row_count_ = 0;   // GET DIAGNOSTICS ROW_COUNT: rows the last SQL statement processed
  std::string exit_label_;  // the label of the EXIT / CONTINUE under way ("" for the innermost loop)
};

ProcedureRows LeaderSession::RunProcedureSql(const std::string& sql, bool* is_query) {
  if (cancelled_.load()) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  std::vector<ast::Statement> stmts;
  try {
    stmts = ParseSql(sql);
  } catch (const SqlError& e) {
    if (e.position() == 0) throw;
    throw SqlError(e.sqlstate(), e.message()).WithDetail(e.detail()).WithHint(e.hint());
  }
  if (stmts.size() != 1) throw SqlError(sqlstate::kSyntaxError, "a procedure's statement must be exactly one SQL statement");
  ParsedStatement parsed;
  parsed.stmt = std::move(stmts[0]);
  using K = ast::StatementKind;
  K kind = parsed.stmt.kind;
  if (kind == K::kBegin || kind == K::kCommit || kind == K::kRollback) {
    throw SqlError(sqlstate::kFeatureNotSupported, "EXECUTE of transaction commands is not implemented");
  }
  if (kind == K::kCopy && parsed.stmt.copy->is_from && parsed.stmt.copy->from_stdin) {
    throw SqlError(sqlstate::kFeatureNotSupported, "COPY FROM STDIN is not supported in a procedure");
  }
  if (is_query != nullptr) *is_query = kind == K::kSelect;
  StatementResult r;
  try {
    if (kind == K::kSelect) {
      StampStatementStart();
      FlushInserts();  // rows the procedure's INSERTs left pending come before its SELECT reads
      BoundStatement b = Bind(parsed.stmt, ReadCatalog(), {}, nullptr, &session_values_);
      Optimize(&b);
      r = RunQuery(b, /*stream=*/false);
    } else {
      r = Run(parsed, {}, nullptr);
      if (r.stream) throw SqlError(sqlstate::kFeatureNotSupported, "this statement is not supported in a procedure");
    }
  } catch (const SqlError& e) {
    // A position in the procedure's statement would point into the CALL's text: it is dropped,
    // and the statement named instead.
    if (e.position() == 0) throw;
    throw SqlError(e.sqlstate(), e.message()).WithDetail(e.detail()).WithHint(e.hint());
  }
  ProcedureRows out;
  out.columns = r.columns;
  out.command_tag = r.command_tag;
  for (const Batch& b : r.batches) {
    for (size_t row = 0; row < b.rows; ++row) {
      std::vector<std::optional<std::string>> values;
      for (const Vector& v : b.columns) values.push_back(v.IsNull(row) ? std::nullopt : std::optional<std::string>(ValueText(v, row)));
      out.rows.push_back(std::move(values));
    }
  }
  for (auto& n : r.notices) procedure_notices_.push_back(std::move(n));
  return out;
}

void LeaderSession::EndProcedureTransaction(bool commit) {
  if (!call_nonatomic_) throw SqlError(sqlstate::kInvalidTransactionTermination, "invalid transaction termination");
  if (commit) Commit(); else Rollback();
  BeginImplicit();
}

StatementResult LeaderSession::RunCall(const ast::FunctionStmt& call) {
  StatementTransaction txn(this);
  if (call_depth_ >= kMaxCallNesting) {
    throw SqlError(sqlstate::kStatementTooComplex, StrCat("procedures nested more than ", kMaxCallNesting, " deep"));
  }
  struct Depth {
    LeaderSession* s;
    bool outer;
    Depth(LeaderSession* session, bool nonatomic) : s(session), outer(session->call_depth_ == 0) {
      if (outer) {
        s->call_nonatomic_ = nonatomic;
        s->procedure_notices_.clear();
      }
      ++s->call_depth_;
    }
    ~Depth() {
      --s->call_depth_;
      if (outer) s->call_nonatomic_ = false;
    }
  } depth(this, txn.own());

  // The procedure, copied: a COMMIT inside may replace the catalog it was read from.
  catalog::Function proc = ProcedureForCall(ReadCatalog(), call.schema, call.name, call.call_args.size(), call.location);
  if ((FunctionPrivilegesOf(ReadCatalog().meta(), proc, user_) & kPrivExecute) == 0) {
    throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied for procedure ", proc.name()), call.location + 1);
  }
  const int nargs = proc.arg_types_size();
  const bool out_args_given = call.call_args.size() == static_cast<size_t>(nargs);

  StatementResult r;
  r.command_tag = "CALL";
  ProcedureRun run(this);
  {
    BindState state;
    state.catalog = &ReadCatalog();
    state.session = &session_values_;
    size_t next = 0;
    for (int i = 0; i < nargs; ++i) {
      SqlType type = FromProtoType(proc.arg_types(i));
      ProcedureRun::Value v;
      v.type = DeclaredTypeText(type);
      char mode = ProcedureArgMode(proc, i);
      if (mode != 'o' || out_args_given) {
        bool unbounded = type.id == TypeId::kDecimal && type.precision == 0;
        plan::Expr e = BindColumnDefault(state, *call.call_args[next++], unbounded ? SqlType::Text() : type, proc.arg_names(i));
        Vector value = EvaluateConstant(e);
        if (mode != 'o' && !value.IsNull(0)) v.text = ValueText(value, 0);
      }
      run.vars[StrCat("$", i + 1)] = v;
      if (!proc.arg_names(i).empty()) run.vars[proc.arg_names(i)] = v;
    }
  }
  run.vars["found"] = ProcedureRun::Value::Scalar("f", "boolean");
  plpgsql::Routine routine = plpgsql::ParseRoutine(ProcedureSourceText(proc), NamedArguments(proc));
  for (const auto& v : routine.variables) run.Declare(v);
  try {
    run.Run(routine.block);
  } catch (SqlError& e) {
    // What the procedure raised before it failed still reaches the client, ahead of the error.
    if (depth.outer && !procedure_notices_.empty()) {
      e.WithNotices(std::move(procedure_notices_));
      procedure_notices_.clear();
    }
    throw;
  }

  // OUT and INOUT arguments come back as one row, as PostgreSQL's CALL returns them.
  std::vector<std::string> row;
  std::vector<bool> nulls;
  for (const auto& [name, type] : ProcedureResultColumns(proc)) r.columns.push_back({name, type});
  for (int i = 0; i < nargs; ++i) {
    if (ProcedureArgMode(proc, i) == 'i') continue;
    const ProcedureRun::Value& v = run.vars[proc.arg_names(i).empty() ? StrCat("$", i + 1) : proc.arg_names(i)];
    row.push_back(v.text.value_or(""));
    nulls.push_back(!v.text);
  }
  if (!r.columns.empty()) {
    r.returns_rows = true;
    std::vector<SqlType> types;
    for (const auto& c : r.columns) types.push_back(c.type);
    Batch b(types);
    b.SetRows(1);
    for (size_t i = 0; i < row.size(); ++i) {
      if (nulls[i]) b.columns[i].SetNull(0, true);
      else ParseValueText(row[i], &b.columns[i], 0);
    }
    r.batches.push_back(std::move(b));
  }
  if (depth.outer) {
    r.notices = std::move(procedure_notices_);
    procedure_notices_.clear();
  }
  txn.Commit();
  return r;
}

}  // namespace strata

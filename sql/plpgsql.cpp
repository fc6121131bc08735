// Reading pg_query_parse_plpgsql's JSON into plpgsql::Routine, and variable substitution
// (sql/plpgsql.h).
#include "sql/plpgsql.h"

#include <pg_query.h>
#include <simdjson.h>

#include <cctype>
#include <map>

#include "sql/error.h"
#include "sql/redshift_dialect.h"  // ScanSqlTokens, AsciiLower, NormalizeIdentifier
#include "sql/sqlstate.h"

namespace strata::plpgsql {

namespace {

using simdjson::dom::element;

[[noreturn]] void Unsupported(const std::string& what) {
  throw SqlError(sqlstate::kFeatureNotSupported, StrCat(what, " in stored procedures is not supported yet"));
}

std::string Str(element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

int64_t Int(element e, const char* key, int64_t fallback = 0) {
  int64_t v;
  if (e[key].get(v) != simdjson::SUCCESS) return fallback;
  return v;
}

bool Bool(element e, const char* key) {
  bool v;
  return e[key].get(v) == simdjson::SUCCESS && v;
}

bool Has(element e, const char* key) { return e[key].error() == simdjson::SUCCESS; }

// e[key], which the parser always gives.
element Get(element e, const char* key) {
  element out;
  if (e[key].get(out) != simdjson::SUCCESS) STRATA_INTERNAL_ERROR("PL/pgSQL parse tree without ", key);
  return out;
}

simdjson::dom::array Array(element e) {
  simdjson::dom::array out;
  if (e.get(out) != simdjson::SUCCESS) STRATA_INTERNAL_ERROR("PL/pgSQL parse tree: an array expected");
  return out;
}

// The text of a PLpgSQL_expr under `key`.
std::string ExprText(element e, const char* key) {
  element x;
  if (e[key].get(x) != simdjson::SUCCESS) return "";
  return Str(Get(x, "PLpgSQL_expr"), "query");
}

// "x := 1 + 2" (or "x = ...") without its target.
std::string AssignedValue(const std::string& q) {
  size_t colon = q.find(":=");
  size_t eq = q.find('=');
  if (colon != std::string::npos && colon <= eq) return q.substr(colon + 2);
  if (eq != std::string::npos) return q.substr(eq + 1);
  return q;
}

// The cursor statements taken out of a body's text: each became `PERFORM <marker>` (the
// marker is kCursorMarkerBase + its index), which Reader turns back into the statement.
constexpr int64_t kCursorMarkerBase = 987650000;

struct CursorStatements {
  std::vector<Stmt> stmts;
};

// Takes OPEN / FETCH / CLOSE statements out of `body` (PL/pgSQL text), recording each in `out`
// and leaving `PERFORM <marker>` with the statement's line breaks in its place.
std::string ExtractCursorStatements(const std::string& body, CursorStatements* out) {
  std::vector<SqlToken> toks;
  if (!ScanSqlTokens(body, &toks)) return body;  // the parser will report the text's error
  std::vector<SqlToken> t;
  for (const SqlToken& k : toks) {
    if (k.cls != SqlTokenClass::kComment) t.push_back(k);
  }
  auto text = [&](size_t i) { return std::string_view(body).substr(t[i].start, t[i].end - t[i].start); };
  auto word = [&](size_t i, std::string_view w) {
    return i < t.size() && t[i].cls == SqlTokenClass::kWord && AsciiLower(text(i)) == w;
  };
  auto punct = [&](size_t i, char ch) { return i < t.size() && text(i).size() == 1 && text(i)[0] == ch; };
  // Bound cursors declared as `name [[NO] SCROLL] CURSOR FOR query;`: FOR rec IN name LOOP
  // becomes FOR rec IN query LOOP (the same rows, through the query loop).
  std::map<std::string, std::string> bound;
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    size_t k = i + 1;
    while (word(k, "no") || word(k, "scroll")) ++k;
    if (!(word(k, "cursor") && word(k + 1, "for")) || t[i].cls == SqlTokenClass::kPunct) continue;
    size_t q = k + 2, end = q;
    while (end < t.size() && !punct(end, ';')) ++end;
    if (end >= t.size() || end == q) continue;
    std::string query = body.substr(static_cast<size_t>(t[q].start), static_cast<size_t>(t[end - 1].end - t[q].start));
    for (char& ch : query) if (ch == '\n' || ch == '\r') ch = ' ';
    bound[NormalizeIdentifier(text(i))] = "(" + query + ")";
  }
  // A FOR over a cursor declares its record itself: the query loop needs it declared.
  std::string records;
  for (size_t i = 0; i + 4 < t.size(); ++i) {
    if (!(word(i, "for") && word(i + 2, "in") && word(i + 4, "loop") && bound.count(NormalizeIdentifier(text(i + 3))) > 0)) continue;
    bool declared = false;
    for (size_t d = 0; d + 1 < t.size() && !declared; ++d) declared = NormalizeIdentifier(text(d)) == NormalizeIdentifier(text(i + 1)) && word(d + 1, "record");
    if (!declared) records += StrCat(" ", text(i + 1), " record;");
  }
  std::string result;
  size_t copied = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!records.empty() && word(i, "declare")) {
      result += body.substr(copied, static_cast<size_t>(t[i].end) - copied) + records;
      copied = static_cast<size_t>(t[i].end);
      records.clear();
      continue;
    }
    if (word(i, "for") && i + 4 < t.size() && word(i + 2, "in") && word(i + 4, "loop") &&
        bound.count(NormalizeIdentifier(text(i + 3))) > 0) {
      result += body.substr(copied, static_cast<size_t>(t[i + 3].start) - copied);
      std::string query = bound[NormalizeIdentifier(text(i + 3))];
      result += query.substr(1, query.size() - 2);
      copied = static_cast<size_t>(t[i + 3].end);
      continue;
    }
    bool start = i == 0 || punct(i - 1, ';') || word(i - 1, "begin") || word(i - 1, "then") || word(i - 1, "else") ||
                 word(i - 1, "loop") || (i >= 2 && punct(i - 1, '>') && punct(i - 2, '>'));
    if (!start || !(word(i, "open") || word(i, "fetch") || word(i, "close"))) continue;
    size_t end = i;
    while (end < t.size() && !punct(end, ';')) ++end;
    if (end >= t.size()) break;
    Stmt s;
    s.line = 1;
    for (int b = 0; b < t[i].start; ++b) s.line += body[static_cast<size_t>(b)] == '\n';
    size_t k = i + 1;
    if (word(i, "open")) {
      s.kind = Stmt::Kind::kOpen;
      if (k >= end) Unsupported("OPEN without a cursor");
      s.target = NormalizeIdentifier(text(k++));
      while (word(k, "no") || word(k, "scroll")) ++k;
      if (word(k, "for")) {
        ++k;
        if (word(k, "execute")) Unsupported("OPEN ... FOR EXECUTE");
        if (k >= end) Unsupported("OPEN ... FOR without a query");
        s.expr = body.substr(static_cast<size_t>(t[k].start), static_cast<size_t>(t[end - 1].end - t[k].start));
      } else if (k != end) {
        Unsupported("OPEN of a cursor with arguments");
      }
    } else if (word(i, "fetch")) {
      s.kind = Stmt::Kind::kFetch;
      size_t into = k;
      while (into < end && !word(into, "into")) ++into;
      if (into >= end || into == k) Unsupported("FETCH without INTO");
      s.target = NormalizeIdentifier(text(into - 1));
      size_t dir_end = into - 1;
      if (dir_end > k && (word(dir_end - 1, "from") || word(dir_end - 1, "in"))) --dir_end;
      std::string direction;
      for (size_t d = k; d < dir_end; ++d) direction += (direction.empty() ? "" : " ") + std::string(text(d));
      s.upper = direction.empty() ? "NEXT" : direction;
      s.has_into = true;
      for (size_t v = into + 1; v < end; ++v) {
        if (punct(v, ',')) continue;
        s.into.push_back(NormalizeIdentifier(text(v)));
      }
      if (s.into.empty()) Unsupported("FETCH without INTO");
    } else {
      s.kind = Stmt::Kind::kClose;
      if (k + 1 != end) Unsupported("CLOSE without one cursor");
      s.target = NormalizeIdentifier(text(k));
    }
    std::string stand_in = StrCat("PERFORM ", kCursorMarkerBase + static_cast<int64_t>(out->stmts.size()));
    for (int b = t[i].start; b < t[end].start; ++b) {
      if (body[static_cast<size_t>(b)] == '\n') stand_in += '\n';
    }
    result += body.substr(copied, static_cast<size_t>(t[i].start) - copied);
    result += stand_in;
    copied = static_cast<size_t>(t[end].start);
    out->stmts.push_back(std::move(s));
    i = end;
  }
  result += body.substr(copied);
  return result;
}

// `create_sql` with the cursor statements of its dollar-quoted body taken out (see above).
std::string WithoutCursorStatements(const std::string& create_sql, CursorStatements* out) {
  std::vector<SqlToken> toks;
  if (!ScanSqlTokens(create_sql, &toks)) return create_sql;
  for (size_t i = 1; i < toks.size(); ++i) {
    std::string_view tok = std::string_view(create_sql).substr(toks[i].start, toks[i].end - toks[i].start);
    if (toks[i].cls != SqlTokenClass::kString || tok.empty() || tok[0] != '$') continue;
    size_t open = tok.find('$', 1);
    if (open == std::string_view::npos || tok.size() < 2 * (open + 1)) continue;
    std::string body(tok.substr(open + 1, tok.size() - 2 * (open + 1)));
    std::string rewritten = ExtractCursorStatements(body, out);
    if (rewritten == body) return create_sql;
    std::string tag(tok.substr(0, open + 1));
    return create_sql.substr(0, static_cast<size_t>(toks[i].start)) + tag + rewritten + tag + create_sql.substr(static_cast<size_t>(toks[i].end));
  }
  return create_sql;
}

}  // namespace

std::string ConditionSqlstate(const std::string& name) {
  static const std::map<std::string, std::string> kCodes = {
      {"raise_exception", "P0001"}, {"no_data_found", "P0002"}, {"too_many_rows", "P0003"}, {"assert_failure", "P0004"},
      {"division_by_zero", "22012"}, {"numeric_value_out_of_range", "22003"}, {"invalid_text_representation", "22P02"},
      {"string_data_right_truncation", "22001"}, {"null_value_not_allowed", "22004"}, {"invalid_parameter_value", "22023"},
      {"datetime_field_overflow", "22008"}, {"invalid_datetime_format", "22007"}, {"data_exception", "22000"},
      {"integrity_constraint_violation", "23000"}, {"not_null_violation", "23502"}, {"foreign_key_violation", "23503"},
      {"unique_violation", "23505"}, {"check_violation", "23514"}, {"cardinality_violation", "21000"},
      {"case_not_found", "20000"}, {"feature_not_supported", "0A000"}, {"syntax_error", "42601"},
      {"undefined_table", "42P01"}, {"undefined_column", "42703"}, {"undefined_function", "42883"},
      {"duplicate_table", "42P07"}, {"duplicate_object", "42710"}, {"insufficient_privilege", "42501"},
      {"invalid_cursor_name", "34000"}, {"serialization_failure", "40001"}, {"deadlock_detected", "40P01"},
      {"lock_not_available", "55P03"}, {"query_canceled", "57014"}, {"invalid_transaction_state", "25000"}};
  auto it = kCodes.find(name);
  if (it != kCodes.end()) return it->second;
  if (name.size() == 5) return name;
  Unsupported(StrCat("the condition ", name));
}

namespace {

class Reader {
 public:
  explicit Reader(element datums, const CursorStatements* cursors = nullptr) : cursors_(cursors) {
    for (element d : Array(datums)) datums_.push_back(d);
  }

  std::string DatumName(int64_t varno) {
    if (varno < 0 || varno >= static_cast<int64_t>(datums_.size())) return "";
    element d = datums_[static_cast<size_t>(varno)];
    element v;
    if (d["PLpgSQL_var"].get(v) == simdjson::SUCCESS || d["PLpgSQL_rec"].get(v) == simdjson::SUCCESS) return Str(v, "refname");
    if (d["PLpgSQL_recfield"].get(v) == simdjson::SUCCESS) Unsupported("assigning to a record's field");
    Unsupported("this assignment target");
  }

  // The variables a PLpgSQL_row / PLpgSQL_var / PLpgSQL_rec target names.
  std::vector<std::string> Targets(element t) {
    std::vector<std::string> out;
    element v;
    if (t["PLpgSQL_row"].get(v) == simdjson::SUCCESS) {
      element fields;
      if (v["fields"].get(fields) == simdjson::SUCCESS) {
        for (element f : Array(fields)) out.push_back(Str(f, "name"));
      }
    } else if (t["PLpgSQL_var"].get(v) == simdjson::SUCCESS || t["PLpgSQL_rec"].get(v) == simdjson::SUCCESS) {
      out.push_back(Str(v, "refname"));
    }
    return out;
  }

  std::vector<Stmt> List(element e, const char* key) {
    std::vector<Stmt> out;
    simdjson::dom::array a;
    if (e[key].get(a) != simdjson::SUCCESS) return out;
    for (element s : a) out.push_back(Statement(s));
    return out;
  }

  Stmt Statement(element wrapper) {
    simdjson::dom::object o;
    if (wrapper.get(o) != simdjson::SUCCESS) STRATA_INTERNAL_ERROR("PL/pgSQL parse tree: a statement expected");
    auto it = o.begin();
    if (it == o.end()) Unsupported("an empty statement");
    std::string_view type = it.key();
    element e = it.value();
    Stmt s;
    s.line = static_cast<int>(Int(e, "lineno"));
    s.label = Str(e, "label");
    using K = Stmt::Kind;
    if (type == "PLpgSQL_stmt_block") {
      s.kind = K::kBlock;
      s.body = List(e, "body");
      element exceptions;
      if (e["exceptions"].get(exceptions) == simdjson::SUCCESS) {
        simdjson::dom::array list = Array(Get(Get(exceptions, "PLpgSQL_exception_block"), "exc_list"));
        for (element x : list) {
          element handler = Get(x, "PLpgSQL_exception");
          std::vector<std::string> codes;
          for (element cond : Array(Get(handler, "conditions"))) {
            element c = Get(cond, "PLpgSQL_condition");
            std::string name = Str(c, "condname");
            codes.push_back(name == "others" ? "" : ConditionSqlstate(name));
          }
          s.handlers.emplace_back(std::move(codes), List(handler, "action"));
        }
        s.has_handler = !s.handlers.empty();
      }
    } else if (type == "PLpgSQL_stmt_assign") {
      s.kind = K::kAssign;
      s.target = DatumName(Int(e, "varno", -1));
      s.expr = AssignedValue(ExprText(e, "expr"));
    } else if (type == "PLpgSQL_stmt_if") {
      s.kind = K::kIf;
      s.expr = ExprText(e, "cond");
      s.body = List(e, "then_body");
      simdjson::dom::array a;
      if (e["elsif_list"].get(a) == simdjson::SUCCESS) {
        for (element x : a) {
          element branch = Get(x, "PLpgSQL_if_elsif");
          s.elsifs.emplace_back(ExprText(branch, "cond"), List(branch, "stmts"));
        }
      }
      s.else_body = List(e, "else_body");
    } else if (type == "PLpgSQL_stmt_while") {
      s.kind = K::kWhile;
      s.expr = ExprText(e, "cond");
      s.body = List(e, "body");
    } else if (type == "PLpgSQL_stmt_loop") {
      s.kind = K::kLoop;
      s.body = List(e, "body");
    } else if (type == "PLpgSQL_stmt_exit") {
      s.kind = K::kExit;
      s.is_exit = Bool(e, "is_exit");
      s.expr = ExprText(e, "cond");
    } else if (type == "PLpgSQL_stmt_fori") {
      s.kind = K::kForInt;
      std::vector<std::string> v = Targets(Get(e, "var"));
      s.target = v.empty() ? "" : v[0];
      s.expr = ExprText(e, "lower");
      s.upper = ExprText(e, "upper");
      s.step = ExprText(e, "step");
      s.reverse = Bool(e, "reverse");
      s.body = List(e, "body");
    } else if (type == "PLpgSQL_stmt_fors") {
      s.kind = K::kForQuery;
      s.into = Targets(Get(e, "var"));
      s.expr = ExprText(e, "query");
      s.body = List(e, "body");
    } else if (type == "PLpgSQL_stmt_raise") {
      s.kind = K::kRaise;
      s.raise_level = static_cast<int>(Int(e, "elog_level", 21));
      s.expr = Str(e, "message");
      std::string condname = Str(e, "condname");
      if (!condname.empty()) {
        // RAISE division_by_zero / RAISE SQLSTATE '22012': the code, and the name as the message.
        s.errcode = ConditionSqlstate(condname);
        if (!Has(e, "message")) s.expr = condname;  // PostgreSQL: the condition's name or code
      }
      simdjson::dom::array opts;
      if (e["options"].get(opts) == simdjson::SUCCESS) {
        for (element o : opts) {
          element opt = Get(o, "PLpgSQL_raise_option");
          // PLpgSQL_raise_option_type: ERRCODE, MESSAGE, DETAIL, HINT, then COLUMN, CONSTRAINT, ...
          int64_t kind = Int(opt, "opt_type", -1);
          std::string value = ExprText(opt, "expr");
          if (kind == 0) s.errcode = "=" + value;  // an expression, evaluated when raised
          else if (kind == 1) s.message_expr = value;
          else if (kind == 2) s.detail_expr = value;
          else if (kind == 3) s.hint_expr = value;
          else Unsupported("RAISE ... USING COLUMN / CONSTRAINT / DATATYPE / TABLE / SCHEMA");
        }
      }
      if (!Has(e, "message") && s.message_expr.empty() && condname.empty()) {
        Unsupported("RAISE without a message");
      }
      simdjson::dom::array a;
      if (e["params"].get(a) == simdjson::SUCCESS) {
        for (element p : a) s.params.push_back(Str(Get(p, "PLpgSQL_expr"), "query"));
      }
    } else if (type == "PLpgSQL_stmt_execsql" || type == "PLpgSQL_stmt_dynexecute") {
      s.kind = type == "PLpgSQL_stmt_execsql" ? K::kExecSql : K::kDynExecute;
      s.expr = s.kind == K::kExecSql ? ExprText(e, "sqlstmt") : ExprText(e, "query");
      simdjson::dom::array using_params;
      if (e["params"].get(using_params) == simdjson::SUCCESS) {  // EXECUTE ... USING a, b: $1, $2
        for (element p : using_params) s.params.push_back(Str(Get(p, "PLpgSQL_expr"), "query"));
      }
      s.has_into = Bool(e, "into");
      s.strict = Bool(e, "strict");
      element target;
      if (s.has_into && e["target"].get(target) == simdjson::SUCCESS) s.into = Targets(target);
    } else if (type == "PLpgSQL_stmt_call") {  // CALL p(...): an SQL statement like any other
      s.kind = K::kExecSql;
      s.expr = ExprText(e, "expr");
      if (Has(e, "target")) Unsupported("CALL of a procedure with OUT arguments");
    } else if (type == "PLpgSQL_stmt_case") {  // CASE [x] WHEN ... THEN ... [ELSE ...] END CASE
      s.kind = K::kCase;
      s.expr = ExprText(e, "t_expr");
      if (!s.expr.empty()) s.target = DatumName(Int(e, "t_varno", -1));
      simdjson::dom::array a;
      if (e["case_when_list"].get(a) == simdjson::SUCCESS) {
        for (element x : a) {
          element when = Get(x, "PLpgSQL_case_when");
          s.elsifs.emplace_back(ExprText(when, "expr"), List(when, "stmts"));
        }
      }
      s.has_else = Bool(e, "have_else");
      s.else_body = List(e, "else_stmts");
    } else if (type == "PLpgSQL_stmt_getdiag") {  // GET DIAGNOSTICS v = ROW_COUNT
      simdjson::dom::array items = Array(Get(e, "diag_items"));
      if (items.size() != 1) Unsupported("GET DIAGNOSTICS of more than one item");
      element item = Get(*items.begin(), "PLpgSQL_diag_item");
      if (Str(item, "kind") != "ROW_COUNT" || Bool(e, "is_stacked")) Unsupported("GET DIAGNOSTICS other than ROW_COUNT");
      s.kind = K::kRowCount;
      s.target = DatumName(Int(item, "target", -1));
    } else if (type == "PLpgSQL_stmt_perform") {
      s.kind = K::kPerform;
      s.expr = ExprText(e, "expr");
      // A cursor statement's stand-in (ExtractCursorStatements): the statement itself.
      std::string digits = s.expr.rfind("SELECT ", 0) == 0 ? s.expr.substr(7) : s.expr;
      if (cursors_ != nullptr && !digits.empty() && digits.size() <= 12 && digits.find_first_not_of("0123456789") == std::string::npos) {
        int64_t index = std::stoll(digits) - kCursorMarkerBase;
        if (index >= 0 && index < static_cast<int64_t>(cursors_->stmts.size())) {
          Stmt c = cursors_->stmts[static_cast<size_t>(index)];
          c.line = s.line;
          c.label = s.label;
          return c;
        }
      }
    } else if (type == "PLpgSQL_stmt_return") {
      s.kind = K::kReturn;
      if (Has(e, "expr")) Unsupported("RETURN with a value");
    } else if (type == "PLpgSQL_stmt_commit" || type == "PLpgSQL_stmt_rollback") {
      s.kind = type == "PLpgSQL_stmt_commit" ? K::kCommit : K::kRollback;
      if (Bool(e, "chain")) Unsupported("COMMIT AND CHAIN");
    } else {
      std::string name(type.substr(type.rfind('_') + 1));
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      Unsupported(StrCat("the statement ", name));
    }
    return s;
  }

 private:
  std::vector<element> datums_;
  const CursorStatements* cursors_;
};

}  // namespace

Routine ParseRoutine(const std::string& original_sql, int argument_count) {
  CursorStatements cursors;
  const std::string create_sql = WithoutCursorStatements(original_sql, &cursors);
  PgQueryPlpgsqlParseResult parsed = pg_query_parse_plpgsql(create_sql.c_str());
  struct Free {
    PgQueryPlpgsqlParseResult* r;
    ~Free() { pg_query_free_plpgsql_parse_result(*r); }
  } free_result{&parsed};
  if (parsed.error != nullptr) {
    std::string message = parsed.error->message;
    // PostgreSQL's code for a WHEN naming no condition; every other parse error is a syntax error.
    bool unknown_condition = message.rfind("unrecognized exception condition", 0) == 0;
    throw SqlError(unknown_condition ? sqlstate::kUndefinedObject : sqlstate::kSyntaxError, message);
  }
  if (parsed.plpgsql_funcs == nullptr) STRATA_INTERNAL_ERROR("pg_query_parse_plpgsql gave nothing");
  std::string json = parsed.plpgsql_funcs;
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) STRATA_INTERNAL_ERROR("pg_query_parse_plpgsql gave bad JSON");
  simdjson::dom::array funcs;
  if (root.get(funcs) != simdjson::SUCCESS || funcs.size() != 1) STRATA_INTERNAL_ERROR("expected one PL/pgSQL routine");
  element first;
  if (funcs.at(0).get(first) != simdjson::SUCCESS) STRATA_INTERNAL_ERROR("expected one PL/pgSQL routine");
  element f = Get(first, "PLpgSQL_function");
  element datums;
  if (f["datums"].get(datums) != simdjson::SUCCESS) STRATA_INTERNAL_ERROR("a PL/pgSQL routine without datums");
  Reader reader(datums, &cursors);
  Routine r;
  int index = 0;
  for (element d : Array(datums)) {
    // The named arguments come first, then `found`.
    if (index++ <= argument_count) continue;
    element v;
    if (d["PLpgSQL_var"].get(v) != simdjson::SUCCESS && d["PLpgSQL_rec"].get(v) != simdjson::SUCCESS) continue;
    Variable var;
    var.name = Str(v, "refname");
    element type;
    if (v["datatype"].get(type) == simdjson::SUCCESS) var.type = Str(Get(type, "PLpgSQL_type"), "typname");
    while (!var.type.empty() && var.type.back() == ' ') var.type.pop_back();
    if (d["PLpgSQL_rec"].error() == simdjson::SUCCESS) var.type = "record";
    if (var.type == "UNKNOWN" || var.type.empty()) {
      var.loop_variable = true;
      var.type.clear();
    }
    std::string def = ExprText(v, "default_val");
    if (!def.empty()) var.default_expr = def;
    std::string cursor = ExprText(v, "cursor_explicit_expr");
    if (!cursor.empty()) {
      if (Has(v, "cursor_explicit_argrow") && Int(v, "cursor_explicit_argrow", -1) >= 0) Unsupported("a cursor with arguments");
      var.cursor_query = cursor;
      var.type = "refcursor";
      var.loop_variable = false;
    }
    r.variables.push_back(std::move(var));
  }
  r.block = reader.Statement(Get(f, "action"));
  return r;
}

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string SubstituteVariables(
    std::string_view sql,
    const std::function<std::optional<std::string>(const std::string& name, const std::string& field)>& lookup) {
  std::string out;
  const size_t n = sql.size();
  auto ident_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); };
  auto ident_char = [&](char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; };
  // An identifier at i: its folded name and end.
  auto read_ident = [&](size_t i, std::string* name) -> size_t {
    if (i < n && sql[i] == '"') {
      size_t j = i + 1;
      name->clear();
      while (j < n) {
        if (sql[j] == '"') {
          if (j + 1 < n && sql[j + 1] == '"') { *name += '"'; j += 2; continue; }
          return j + 1;
        }
        *name += sql[j++];
      }
      return n;
    }
    size_t j = i;
    name->clear();
    while (j < n && ident_char(sql[j])) *name += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[j++])));
    return j;
  };
  char prev = 0;  // the last character copied that is not white space
  size_t i = 0;
  while (i < n) {
    char c = sql[i];
    if (c == '\'' ) {  // a string literal ('' inside; E'' strings escape with backslashes)
      bool escapes = i > 0 && (sql[i - 1] == 'e' || sql[i - 1] == 'E');
      size_t j = i + 1;
      while (j < n) {
        if (escapes && sql[j] == '\\') { j += 2; continue; }
        if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') { j += 2; continue; }
          break;
        }
        ++j;
      }
      j = std::min(n, j + 1);
      out.append(sql.substr(i, j - i));
      prev = '\'';
      i = j;
      continue;
    }
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      j = j == std::string_view::npos ? n : j;
      out.append(sql.substr(i, j - i));
      i = j;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t j = sql.find("*/", i + 2);
      j = j == std::string_view::npos ? n : j + 2;
      out.append(sql.substr(i, j - i));
      i = j;
      continue;
    }
    if (c == '$') {
      size_t j = i + 1;
      while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      if (j > i + 1) {  // $n: an unnamed argument
        std::string name(sql.substr(i, j - i));
        std::optional<std::string> v = lookup(name, "");
        out += v ? *v : name;
        prev = '0';
        i = j;
        continue;
      }
      while (j < n && ident_char(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {  // $tag$ ... $tag$
        std::string_view tag = sql.substr(i, j - i + 1);
        size_t end = sql.find(tag, j + 1);
        end = end == std::string_view::npos ? n : end + tag.size();
        out.append(sql.substr(i, end - i));
        prev = '$';
        i = end;
        continue;
      }
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {  // a number, 1.5e3 included
      size_t j = i;
      while (j < n && (ident_char(sql[j]) || sql[j] == '.')) ++j;
      out.append(sql.substr(i, j - i));
      prev = '0';
      i = j;
      continue;
    }
    if (ident_start(c) || c == '"') {
      std::string name;
      size_t j = read_ident(i, &name);
      bool qualified = prev == '.';
      // A following `.field`, and whether a `(` follows (a function's name).
      size_t k = j;
      while (k < n && std::isspace(static_cast<unsigned char>(sql[k]))) ++k;
      bool call = k < n && sql[k] == '(';
      std::optional<std::string> v;
      size_t end = j;
      if (!qualified && k < n && sql[k] == '.') {
        size_t f = k + 1;
        while (f < n && std::isspace(static_cast<unsigned char>(sql[f]))) ++f;
        if (f < n && (ident_start(sql[f]) || sql[f] == '"')) {
          std::string field;
          size_t fe = read_ident(f, &field);
          v = lookup(name, field);
          if (v) end = fe;
        }
      }
      if (!v && !qualified && !call) v = lookup(name, "");
      if (v) {
        out += *v;
        prev = ')';
      } else {
        out.append(sql.substr(i, j - i));
        prev = 'a';
        end = j;
      }
      i = end;
      continue;
    }
    out += c;
    if (!std::isspace(static_cast<unsigned char>(c))) prev = c;
    ++i;
  }
  return out;
}

}  // namespace strata::plpgsql

// Reading pg_query_parse_plpgsql's JSON into plpgsql::Routine, and variable substitution
// (sql/plpgsql.h).
#include "sql/plpgsql.h"

#include <pg_query.h>
#include <simdjson.h>

#include <cctype>

#include "sql/error.h"
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

class Reader {
 public:
  explicit Reader(element datums) {
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
        if (list.size() != 1) Unsupported("EXCEPTION with more than one WHEN");
        element handler = Get(*list.begin(), "PLpgSQL_exception");
        simdjson::dom::array conditions = Array(Get(handler, "conditions"));
        if (conditions.size() != 1 || Str(Get(*conditions.begin(), "PLpgSQL_condition"), "condname") != "others") {
          Unsupported("EXCEPTION WHEN a condition other than OTHERS");
        }
        s.has_handler = true;
        s.handler = List(handler, "action");
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
      if (!Has(e, "message") || Has(e, "condname")) Unsupported("RAISE without a message (or with a condition name)");
      if (Has(e, "options")) Unsupported("RAISE ... USING");
      s.raise_level = static_cast<int>(Int(e, "elog_level", 21));
      s.expr = Str(e, "message");
      simdjson::dom::array a;
      if (e["params"].get(a) == simdjson::SUCCESS) {
        for (element p : a) s.params.push_back(Str(Get(p, "PLpgSQL_expr"), "query"));
      }
    } else if (type == "PLpgSQL_stmt_execsql" || type == "PLpgSQL_stmt_dynexecute") {
      s.kind = type == "PLpgSQL_stmt_execsql" ? K::kExecSql : K::kDynExecute;
      s.expr = s.kind == K::kExecSql ? ExprText(e, "sqlstmt") : ExprText(e, "query");
      if (Has(e, "params")) Unsupported("EXECUTE ... USING");
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
};

}  // namespace

Routine ParseRoutine(const std::string& create_sql, int argument_count) {
  PgQueryPlpgsqlParseResult parsed = pg_query_parse_plpgsql(create_sql.c_str());
  struct Free {
    PgQueryPlpgsqlParseResult* r;
    ~Free() { pg_query_free_plpgsql_parse_result(*r); }
  } free_result{&parsed};
  if (parsed.error != nullptr) throw SqlError(sqlstate::kSyntaxError, parsed.error->message);
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
  Reader reader(datums);
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

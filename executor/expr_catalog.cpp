// The functions PostgreSQL clients call in catalog queries (psql's \d, pgjdbc's
// DatabaseMetaData), and the entry point for them, MakeCatalogFunctionNode. Here:
//   format_type(oid bigint, typmod int) -> text   PostgreSQL's spelling of a type; a NULL oid is
//                                   NULL, a NULL typmod is "no typmod" (format_type(1042, NULL)
//                                   is "character" but format_type(1042, -1) is "bpchar")
//   pg_encoding_to_char(int) -> text              6 UTF8, 0 SQL_ASCII, anything else ''
//   pg_get_expr(text, bigint [, bool]) -> text    its first argument (adbin already holds text)
//   quote_ident(text) -> text       double-quoted unless made of a-z, 0-9, _ (not starting with
//                                   a digit) and not a keyword PostgreSQL reserves in any way;
//                                   embedded quotes doubled
//   quote_literal(text) -> text     single-quoted, quotes doubled; with a backslash, E'...' and
//                                   backslashes doubled
//   pg_signal_backend(pid bigint, terminate bool) -> bool   pg_cancel_backend / pg_terminate_backend
//                                   with a pid that is not a constant (executor/backend_signal.h)
//   pg_set_config(name, value) -> text              set_config(name, value, false) over rows
//   pg_size_pretty(bigint) -> text                  over rows (constants fold while binding)
// Regex matching, array helpers and string pieces live in the files expr_catalog.h names.
#include "executor/expr_catalog.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string>

#include "executor/backend_signal.h"
#include "sql/array_types.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

// PostgreSQL 15's keywords that are not UNRESERVED (pg_get_keywords() catcode <> 'U'), sorted:
// quote_ident quotes these.
constexpr std::string_view kQuotedKeywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
    "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
    "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
    "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for",
    "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike",
    "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is",
    "isnull", "join", "lateral", "leading", "least", "left", "like", "limit", "localtime",
    "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null",
    "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay",
    "placing", "position", "precision", "primary", "real", "references", "returning", "right", "row",
    "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
    "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true",
    "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
    "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
    "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable"};
static_assert(std::is_sorted(std::begin(kQuotedKeywords), std::end(kQuotedKeywords)));

bool IdentNeedsQuotes(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return true;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return true;
  }
  return std::binary_search(std::begin(kQuotedKeywords), std::end(kQuotedKeywords), s);
}

enum class CatalogFn : uint8_t { kFormatType, kEncodingToChar, kGetExpr, kQuoteIdent, kQuoteLiteral, kSignalBackend, kSetConfig, kSizePretty };

class CatalogFunctionNode final : public ExprNode {
 public:
  CatalogFunctionNode(SqlType type, CatalogFn fn, NodeList args) : ExprNode(type), fn_(fn), args_(std::move(args)) {
    inputs_.resize(args_.size());
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    Vector& r = ResetResult(n);
    for (size_t k = 0; k < args_.size(); ++k) inputs_[k] = &args_[k]->Eval(input);
    uint8_t* rn = r.nulls();
    // format_type is strict in its oid only.
    OrNulls(inputs_, fn_ == CatalogFn::kFormatType ? 1 : inputs_.size(), n, rn);
    switch (fn_) {
      case CatalogFn::kFormatType: {
        const int64_t* oid = inputs_[0]->data<int64_t>();
        const int32_t* typmod = inputs_[1]->data<int32_t>();
        const uint8_t* typmod_null = inputs_[1]->nulls();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          scratch_.clear();
          AppendFormatType(oid[i], typmod_null[i] ? -1 : typmod[i], !typmod_null[i], &scratch_);
          r.SetString(i, scratch_);
        }
        break;
      }
      case CatalogFn::kEncodingToChar: {
        const int32_t* code = inputs_[0]->data<int32_t>();
        for (size_t i = 0; i < n; ++i) {
          if (!rn[i]) r.SetString(i, code[i] == 6 ? "UTF8" : code[i] == 0 ? "SQL_ASCII" : "");
        }
        break;
      }
      case CatalogFn::kSignalBackend: {
        const BackendSignalFn* signal = CurrentBackendSignal();
        const int64_t* pid = inputs_[0]->data<int64_t>();
        const uint8_t* terminate = inputs_[1]->data<uint8_t>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          if (signal == nullptr) {
            throw SqlError(sqlstate::kFeatureNotSupported,
                           "pg_cancel_backend() and pg_terminate_backend() take their process ids from constants or "
                           "from the leader's system tables (pg_stat_activity, stv_recents, stv_inflight)");
          }
          r.data<uint8_t>()[i] = (*signal)(pid[i], terminate[i] != 0) ? 1 : 0;
        }
        break;
      }
      case CatalogFn::kSizePretty: {
        const int64_t* bytes = inputs_[0]->data<int64_t>();
        for (size_t i = 0; i < n; ++i) {
          if (!rn[i]) r.SetString(i, PrettySize(bytes[i]));
        }
        break;
      }
      case CatalogFn::kSetConfig: {
        const SettingFn* set = CurrentSettingFn();
        const std::string_view* key = inputs_[0]->data<std::string_view>();
        const std::string_view* value = inputs_[1]->data<std::string_view>();
        for (size_t i = 0; i < n; ++i) {
          if (inputs_[0]->nulls()[i]) {
            throw SqlError(sqlstate::kNullValueNotAllowed, "SET requires parameter name");
          }
          if (set == nullptr) {
            throw SqlError(sqlstate::kFeatureNotSupported,
                           "set_config() takes its arguments from constants or from the leader's system tables");
          }
          std::string name(key[i]);
          std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
          // A NULL value resets the setting, as PostgreSQL's set_config does; the result is its new value.
          (*set)(name, inputs_[1]->nulls()[i] ? std::string() : std::string(value[i]));
          rn[i] = inputs_[1]->nulls()[i];
          if (!rn[i]) r.SetString(i, value[i]);
        }
        break;
      }
      case CatalogFn::kGetExpr: {
        r.ShareHeaps(*inputs_[0]);
        std::string_view* d = r.data<std::string_view>();
        const std::string_view* s = inputs_[0]->data<std::string_view>();
        for (size_t i = 0; i < n; ++i) d[i] = rn[i] ? std::string_view() : s[i];
        break;
      }
      case CatalogFn::kQuoteIdent:
      case CatalogFn::kQuoteLiteral: {
        const std::string_view* s = inputs_[0]->data<std::string_view>();
        for (size_t i = 0; i < n; ++i) {
          if (rn[i]) continue;
          scratch_.clear();
          if (fn_ == CatalogFn::kQuoteIdent) AppendQuotedIdent(s[i], &scratch_);
          else AppendQuotedLiteral(s[i], &scratch_);
          r.SetString(i, scratch_);
        }
        break;
      }
    }
    return r;
  }

 private:
  CatalogFn fn_;
  NodeList args_;
  std::vector<const Vector*> inputs_;
  std::string scratch_;
};

}  // namespace

void AppendQuotedIdent(std::string_view s, std::string* out) {
  if (!IdentNeedsQuotes(s)) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendQuotedLiteral(std::string_view s, std::string* out) {
  if (s.find('\\') != std::string_view::npos) out->push_back('E');
  out->push_back('\'');
  for (char c : s) {
    if (c == '\'' || c == '\\') out->push_back(c);
    out->push_back(c);
  }
  out->push_back('\'');
}

void CastArg(NodeList& args, size_t k, const SqlType& type) {
  if (args[k]->type().id != type.id) args[k] = MakeCastNode(type, std::move(args[k]));
}

void OrNulls(const std::vector<const Vector*>& inputs, size_t count, size_t n, uint8_t* nulls) {
  for (size_t k = 0; k < count; ++k) {
    const uint8_t* in = inputs[k]->nulls();
    for (size_t i = 0; i < n; ++i) nulls[i] |= in[i];
  }
}

void AppendFormatType(int64_t oid, int32_t typmod, bool typmod_given, std::string* out) {
  // An array type prints as its element type (with the typmod) followed by [].
  // (int2vector and oidvector are types of their own, with their own names.)
  int64_t elem = oid;
  const ArrayTypeInfo* array = oid > 0 && oid <= UINT32_MAX ? FindArrayType(static_cast<uint32_t>(oid)) : nullptr;
  if (array != nullptr && array->vector) {
    out->append(array->type_name);
    return;
  }
  if (array != nullptr) elem = array->element_oid;
  bool with_typmod = typmod_given && typmod >= 0;
  auto with_length = [&](const char* name) {
    out->append(name);
    if (with_typmod && typmod > 4) out->append("(").append(std::to_string(typmod - 4)).append(")");
  };
  auto timestamp = [&](const char* zone) {
    out->append("timestamp");
    if (with_typmod) out->append("(").append(std::to_string(typmod)).append(")");
    out->append(zone);
  };
  switch (elem) {
    case 16: out->append("boolean"); break;
    case 18: out->append("\"char\""); break;
    case 19: out->append("name"); break;
    case 20: out->append("bigint"); break;
    case 21: out->append("smallint"); break;
    case 23: out->append("integer"); break;
    case 25: out->append("text"); break;
    case 26: out->append("oid"); break;
    case 700: out->append("real"); break;
    case 701: out->append("double precision"); break;
    case 1042:
      if (with_typmod) with_length("character");
      else out->append(typmod_given ? "bpchar" : "character");
      break;
    case 1043: with_length("character varying"); break;
    case 1082: out->append("date"); break;
    case 1114: timestamp(" without time zone"); break;
    case 1184: timestamp(" with time zone"); break;
    case 1186: out->append("interval"); break;
    case 1083: out->append("time without time zone"); break;
    case 1266: out->append("time with time zone"); break;
    case 4000: out->append("super"); break;
    case 1700:
      out->append("numeric");
      if (with_typmod && typmod >= 4) {
        int32_t t = typmod - 4;
        int32_t precision = (t >> 16) & 0xffff;
        int32_t scale = ((t & 0x7ff) ^ 1024) - 1024;
        out->append("(").append(std::to_string(precision)).append(",").append(std::to_string(scale)).append(")");
      }
      break;
    case 2205: out->append("regclass"); break;
    case 2206: out->append("regtype"); break;
    case 1033: out->append("aclitem"); break;
    default: out->append("???"); return;
  }
  if (elem != oid) out->append("[]");
}

NodePtr MakeCatalogFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  NodePtr node = MakeRegexFunctionNode(name, expr, args);
  if (!node) node = MakeArrayFunctionNode(name, expr, args);
  if (!node) node = MakeStringPartsFunctionNode(name, expr, args);
  if (node) return node;
  CatalogFn fn;
  size_t min_args = 1, max_args = 1;
  if (name == "format_type") { fn = CatalogFn::kFormatType; min_args = max_args = 2; }
  else if (name == "pg_encoding_to_char") fn = CatalogFn::kEncodingToChar;
  else if (name == "pg_get_expr") { fn = CatalogFn::kGetExpr; min_args = 2; max_args = 3; }
  else if (name == "quote_ident") fn = CatalogFn::kQuoteIdent;
  else if (name == "quote_literal") fn = CatalogFn::kQuoteLiteral;
  else if (name == "pg_signal_backend") { fn = CatalogFn::kSignalBackend; min_args = max_args = 2; }
  else if (name == "pg_set_config") { fn = CatalogFn::kSetConfig; min_args = max_args = 2; }
  else if (name == "pg_size_pretty") fn = CatalogFn::kSizePretty;
  else return nullptr;
  if (args.size() < min_args || args.size() > max_args) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
  switch (fn) {
    case CatalogFn::kFormatType:
      CastArg(args, 0, SqlType::Int64());
      CastArg(args, 1, SqlType::Int32());
      break;
    case CatalogFn::kEncodingToChar: CastArg(args, 0, SqlType::Int32()); break;
    case CatalogFn::kSignalBackend:
      CastArg(args, 0, SqlType::Int64());
      CastArg(args, 1, SqlType::Bool());
      break;
    case CatalogFn::kSizePretty: CastArg(args, 0, SqlType::Int64()); break;
    case CatalogFn::kSetConfig:
      CastArg(args, 0, SqlType::Text());
      CastArg(args, 1, SqlType::Text());
      break;
    case CatalogFn::kGetExpr:
      CastArg(args, 0, SqlType::Text());
      CastArg(args, 1, SqlType::Int64());
      if (args.size() > 2) CastArg(args, 2, SqlType::Bool());
      break;
    default: CastArg(args, 0, SqlType::Text()); break;
  }
  return std::make_unique<CatalogFunctionNode>(FromProtoType(expr.type()), fn, std::move(args));
}

}  // namespace strata

// The scalar function catalog; the rules are listed in planner/function_catalog.h.
#include "planner/function_catalog.h"

#include "planner/interval_binder.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "planner/datetime_functions.h"
#include "planner/type_coercion.h"
#include "sql/error.h"

namespace strata {

namespace {

// format_type_be's names: no typmods in a function signature.
std::string TypeNameForSignature(const SqlType& t) {
  switch (t.id) {
    case TypeId::kDecimal: return "numeric";
    case TypeId::kVarchar: return "character varying";
    case TypeId::kChar: return "character";
    default: return t.ToString();
  }
}

[[noreturn]] void ThrowNoSuchFunction(const std::string& name, const std::vector<SqlType>& types) {
  std::string sig = name + "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) sig += ", ";
    sig += TypeNameForSignature(types[i]);
  }
  sig += ")";
  throw SqlError(sqlstate::kUndefinedFunction, "function " + sig + " does not exist")
      .WithHint("No function matches the given name and argument types. You might need to add explicit type casts.");
}

// The literal behind an argument, looking through casts the binder wrapped around it.
const plan::Literal* ConstantLiteral(const std::vector<const plan::Expr*>& args, size_t i) {
  if (i >= args.size() || args[i] == nullptr) return nullptr;
  const plan::Expr* e = args[i];
  while (e->has_call() && e->call().op() == plan::CAST && e->call().args_size() == 1) e = &e->call().args(0);
  if (!e->has_literal() || e->literal().is_null()) return nullptr;
  return &e->literal();
}

bool IsStringLike(const SqlType& t) { return t.is_string() || t.id == TypeId::kNull; }
bool IsIntLike(const SqlType& t) { return t.is_integer() || t.id == TypeId::kNull; }

// Redshift's tests of a SUPER value's dynamic type.
bool IsSuperTypeTest(const std::string& n) {
  return n == "is_array" || n == "is_object" || n == "is_scalar" || n == "is_boolean" || n == "is_number" ||
         n == "is_smallint" || n == "is_integer" || n == "is_bigint" || n == "is_decimal" || n == "is_float" ||
         n == "is_varchar" || n == "is_char";
}

int Cap(int v) { return std::min(v, kMaxDecimalPrecision); }

SqlType ExtractType(const std::string& field_text, bool is_date) {
  std::string f;
  for (char c : field_text) f.push_back(char(std::tolower(uint8_t(c))));
  if (f == "second" || f == "seconds" || f == "s" || f == "sec" || f == "secs") return SqlType::Decimal(8, 6);
  if (f == "millisecond" || f == "milliseconds" || f == "ms" || f == "msec") return SqlType::Decimal(8, 3);
  if (f == "epoch" || f == "julian") return SqlType::Decimal(18, is_date ? 0 : 6);
  return SqlType::Decimal(18, 0);
}

std::optional<SqlType> CommonOfAll(const std::vector<SqlType>& types) {
  if (types.empty()) return std::nullopt;
  std::optional<SqlType> t = types[0].id == TypeId::kNull ? SqlType::Null() : types[0];
  for (size_t i = 1; i < types.size() && t; ++i) t = CommonType(*t, types[i]);
  if (t && t->id == TypeId::kNull) t = SqlType::Text();
  return t;
}

// The functions of psql's and pgjdbc's catalog queries (executor/expr_catalog.cpp); nullopt
// when `name` is not one of them or the arguments do not fit.
std::optional<FunctionSignature> ResolveCatalogFunction(const std::string& name, const std::vector<SqlType>& t) {
  const size_t n = t.size();
  const SqlType text = SqlType::Text(), int32 = SqlType::Int32();
  auto all_strings = [&](size_t count) {
    if (n != count) return false;
    for (const SqlType& a : t) if (!IsStringLike(a)) return false;
    return true;
  };
  auto texts = [&](size_t count) { return std::vector<SqlType>(count, text); };
  // An array argument keeps its array type (sql/array_types.h): the executor reads an
  // int2vector's elements differently.
  auto array_arg = [&](size_t k) { return t[k].id == TypeId::kText ? t[k] : text; };
  if (name == "textregexeq" || name == "texticregexeq") {
    if (!all_strings(2)) return std::nullopt;
    return FunctionSignature{SqlType::Bool(), texts(2)};
  }
  if (name == "similar_to_escape") {
    if (n < 1 || n > 2 || !all_strings(n)) return std::nullopt;
    return FunctionSignature{text, texts(n)};
  }
  // Redshift's REGEXP_* (executor/expr_regex.cpp): which argument is text and which a number.
  if (name == "regexp_replace" || name == "regexp_substr" || name == "regexp_count" || name == "regexp_instr") {
    const bool replace = name == "regexp_replace", substr = name == "regexp_substr", count = name == "regexp_count";
    const size_t most = replace ? 4 : substr ? 5 : count ? 4 : 6;
    if (n < 2 || n > most) return std::nullopt;
    FunctionSignature sig{replace || substr ? text : int32, {}};
    for (size_t k = 0; k < n; ++k) {
      bool as_text = k < 2 || (replace && k == 2) || (substr && k == 4) || (count && k == 3) || (!replace && !substr && !count && k == 5);
      if (replace && k == 3 && IsStringLike(t[3])) as_text = true;  // PostgreSQL's flags
      if (as_text ? !IsStringLike(t[k]) : !IsIntLike(t[k])) return std::nullopt;
      sig.arg_types.push_back(as_text ? text : SqlType::Int64());
    }
    return sig;
  }
  if (name == "replace") {
    if (!all_strings(3)) return std::nullopt;
    return FunctionSignature{text, texts(3)};
  }
  if (name == "format_type") {
    if (n != 2 || !IsIntLike(t[0]) || !IsIntLike(t[1])) return std::nullopt;
    return FunctionSignature{text, {SqlType::Int64(), int32}};
  }
  if (name == "pg_any_eq") {  // elem = ANY(array): any elem, compared as text
    if (n != 2 || !IsStringLike(t[1])) return std::nullopt;
    return FunctionSignature{SqlType::Bool(), {text, array_arg(1)}};
  }
  if (name == "array_to_string") {
    if (!all_strings(2) && !all_strings(3)) return std::nullopt;
    std::vector<SqlType> args = texts(n);
    args[0] = array_arg(0);
    return FunctionSignature{text, args};
  }
  if (name == "array_remove") {  // array_remove(array, elem) over arrays carried as text
    if (!all_strings(2)) return std::nullopt;
    return FunctionSignature{array_arg(0), {array_arg(0), text}};
  }
  if (name == "pg_array_element" || name == "array_upper") {
    if (n != 2 || !IsStringLike(t[0]) || !IsIntLike(t[1])) return std::nullopt;
    return FunctionSignature{name == "array_upper" ? int32 : text, {array_arg(0), int32}};
  }
  if (name == "array_position") {  // array_position(array, elem): compared as text
    if (n != 2 || !IsStringLike(t[0])) return std::nullopt;
    return FunctionSignature{int32, {array_arg(0), text}};
  }
  if (name == "cardinality") {
    if (!all_strings(1)) return std::nullopt;
    return FunctionSignature{int32, {array_arg(0)}};
  }
  if (name == "pg_array_text" || name == "concat") {  // VARIADIC: anything, as text
    if (name == "concat" && n == 0) return std::nullopt;
    return FunctionSignature{text, texts(n)};
  }
  if (name == "pg_array_quote" || name == "quote_literal") {
    if (n != 1) return std::nullopt;
    return FunctionSignature{text, texts(1)};
  }
  if (name == "quote_ident") {
    if (!all_strings(1)) return std::nullopt;
    return FunctionSignature{text, texts(1)};
  }
  if (name == "pg_encoding_to_char") {
    if (n != 1 || !IsIntLike(t[0])) return std::nullopt;
    return FunctionSignature{text, {int32}};
  }
  if (name == "pg_get_expr") {
    if (n < 2 || n > 3 || !IsStringLike(t[0]) || !IsIntLike(t[1])) return std::nullopt;
    if (n == 3 && t[2].id != TypeId::kBool && t[2].id != TypeId::kNull) return std::nullopt;
    FunctionSignature sig{text, {text, SqlType::Int64()}};
    if (n == 3) sig.arg_types.push_back(SqlType::Bool());
    return sig;
  }
  if (name == "split_part") {
    if (n != 3 || !IsStringLike(t[0]) || !IsStringLike(t[1]) || !IsIntLike(t[2])) return std::nullopt;
    return FunctionSignature{text, {text, text, int32}};
  }
  if (name == "strpos") {
    if (!all_strings(2)) return std::nullopt;
    return FunctionSignature{int32, texts(2)};
  }
  if (name == "left" || name == "right") {
    if (n != 2 || !IsStringLike(t[0]) || !IsIntLike(t[1])) return std::nullopt;
    return FunctionSignature{text, {text, int32}};
  }
  return std::nullopt;
}

}  // namespace

SqlType DecimalResultType(plan::Op op, SqlType a, SqlType b) {
  a = IntegerAsDecimal(a);
  b = IntegerAsDecimal(b);
  const int p1 = a.precision, s1 = a.scale, p2 = b.precision, s2 = b.scale;
  switch (op) {
    case plan::ADD:
    case plan::SUB: {
      int scale = std::max(s1, s2);
      return SqlType::Decimal(Cap(std::max(p1 - s1, p2 - s2) + scale + 1), scale);
    }
    case plan::MUL: {
      int scale = Cap(s1 + s2);
      return SqlType::Decimal(std::max(Cap(p1 + p2), scale), scale);
    }
    case plan::DIV: {
      int int_digits = (p1 - s1) + s2;
      int min_scale = std::max(s1, s2);
      int scale = std::max(min_scale, 16);
      if (int_digits + scale > kMaxDecimalPrecision) scale = std::max(min_scale, kMaxDecimalPrecision - int_digits);
      scale = Cap(std::max(scale, 0));
      return SqlType::Decimal(Cap(std::max(int_digits + scale, 1)), scale);
    }
    case plan::MOD: {
      int scale = std::max(s1, s2);
      return SqlType::Decimal(Cap(std::max(std::min(p1 - s1, p2 - s2) + scale, 1)), scale);
    }
    case plan::NEG: return a;
    default: STRATA_INTERNAL_ERROR("no decimal result type for op ", int(op));
  }
}

FunctionSignature ResolveFunction(const std::string& name, const std::vector<SqlType>& arg_types,
                                  const std::vector<const plan::Expr*>& args) {
  const std::vector<SqlType>& t = arg_types;
  const size_t n = t.size();
  auto fail = [&]() -> FunctionSignature { ThrowNoSuchFunction(name, arg_types); };

  // Redshift's SUPER and JSON functions (executor/expr_super.cpp).
  if (name == "json_parse" || name == "can_json_parse") {
    if (n != 1 || !IsStringLike(t[0])) return fail();
    return {name == "json_parse" ? SqlType::Super() : SqlType::Bool(), {SqlType::Text()}};
  }
  if (name == "is_valid_json" || name == "is_valid_json_array") {
    if (n != 1 || !IsStringLike(t[0])) return fail();
    return {SqlType::Bool(), {SqlType::Text()}};
  }
  if (name == "json_serialize" || name == "json_typeof" || name == "json_size" || name == "get_array_length" ||
      IsSuperTypeTest(name)) {
    if (n != 1 || (t[0].id != TypeId::kSuper && t[0].id != TypeId::kNull)) return fail();
    SqlType result = name == "json_serialize" || name == "json_typeof" ? SqlType::Text()
                     : name == "json_size" ? SqlType::Int32()
                     : name == "get_array_length" ? SqlType::Int64() : SqlType::Bool();
    return {result, {SqlType::Super()}};
  }
  if (name == "super_array" || name == "object") {  // ARRAY(v, ...), OBJECT(k, v, ...): values as SUPER
    if (name == "object" && n % 2 != 0) return fail();
    FunctionSignature sig{SqlType::Super(), {}};
    for (size_t i = 0; i < n; ++i) {
      bool key = name == "object" && i % 2 == 0;
      const SqlType& a = t[i];
      bool value_ok = a.id == TypeId::kSuper || a.is_numeric() || a.is_string() || a.id == TypeId::kBool || a.id == TypeId::kNull;
      if (key ? !IsStringLike(a) : !value_ok) return fail();
      sig.arg_types.push_back(key ? SqlType::Text() : SqlType::Super());
    }
    return sig;
  }
  if (name == "split_to_array") {
    if (n < 1 || n > 2 || !IsStringLike(t[0]) || (n == 2 && !IsStringLike(t[1]))) return fail();
    return {SqlType::Super(), std::vector<SqlType>(n, SqlType::Text())};
  }
  auto is_super = [](const SqlType& a) { return a.id == TypeId::kSuper || a.id == TypeId::kNull; };
  if (name == "array_concat") {
    if (n != 2 || !is_super(t[0]) || !is_super(t[1])) return fail();
    return {SqlType::Super(), {SqlType::Super(), SqlType::Super()}};
  }
  if (name == "subarray") {
    if (n != 3 || !is_super(t[0]) || !IsIntLike(t[1]) || !IsIntLike(t[2])) return fail();
    return {SqlType::Super(), {SqlType::Super(), SqlType::Int64(), SqlType::Int64()}};
  }
  if (name == "super_object_size") return {SqlType::Int64(), {SqlType::Super()}};
  if (name == "super_member_key") return {SqlType::Varchar(-1), {SqlType::Super(), SqlType::Int64()}};
  if (name == "super_member_value") return {SqlType::Super(), {SqlType::Super(), SqlType::Int64()}};
  if (name == "array_flatten") {
    if (n != 1 || !is_super(t[0])) return fail();
    return {SqlType::Super(), {SqlType::Super()}};
  }
  if (name == "json_extract_path_text") {  // (json, path, ... [, null_if_invalid])
    if (n < 2 || !IsStringLike(t[0])) return fail();
    FunctionSignature sig{SqlType::Text(), {SqlType::Text()}};
    for (size_t i = 1; i < n; ++i) {
      bool flag = i == n - 1 && n >= 3 && t[i].id == TypeId::kBool;
      if (!flag && !IsStringLike(t[i])) return fail();
      sig.arg_types.push_back(flag ? SqlType::Bool() : SqlType::Text());
    }
    return sig;
  }
  if (name == "json_extract_array_element_text") {  // (json, pos [, null_if_invalid])
    if (n < 2 || n > 3 || !IsStringLike(t[0]) || !IsIntLike(t[1]) ||
        (n == 3 && t[2].id != TypeId::kBool && t[2].id != TypeId::kNull)) {
      return fail();
    }
    FunctionSignature sig{SqlType::Text(), {SqlType::Text(), SqlType::Int32()}};
    if (n == 3) sig.arg_types.push_back(SqlType::Bool());
    return sig;
  }
  if (name == "json_array_length") {  // (json [, null_if_invalid])
    if (n < 1 || n > 2 || !IsStringLike(t[0]) || (n == 2 && t[1].id != TypeId::kBool && t[1].id != TypeId::kNull)) {
      return fail();
    }
    FunctionSignature sig{SqlType::Int32(), {SqlType::Text()}};
    if (n == 2) sig.arg_types.push_back(SqlType::Bool());
    return sig;
  }

  if (name == "lower" || name == "upper" || name == "trim" || name == "btrim" || name == "ltrim" || name == "rtrim") {
    const bool trims = name != "lower" && name != "upper";
    if (n == 2 && trims && IsStringLike(t[0]) && IsStringLike(t[1])) {  // trim(characters from s)
      return {SqlType::Text(), {SqlType::Text(), SqlType::Text()}};
    }
    if (n != 1 || !IsStringLike(t[0])) return fail();
    return {SqlType::Text(), {SqlType::Text()}};
  }
  // The string functions of executor/expr_string_edit.cpp.
  if (name == "lpad" || name == "rpad") {
    if (n < 2 || n > 3 || !IsStringLike(t[0]) || !IsIntLike(t[1]) || (n == 3 && !IsStringLike(t[2]))) return fail();
    FunctionSignature sig{SqlType::Text(), {SqlType::Text(), SqlType::Int32()}};
    if (n == 3) sig.arg_types.push_back(SqlType::Text());
    return sig;
  }
  if (name == "reverse" || name == "initcap" || name == "md5") {
    if (n != 1 || !IsStringLike(t[0])) return fail();
    return {SqlType::Text(), {SqlType::Text()}};
  }
  if (name == "repeat") {
    if (n != 2 || !IsStringLike(t[0]) || !IsIntLike(t[1])) return fail();
    return {SqlType::Text(), {SqlType::Text(), SqlType::Int32()}};
  }
  if (name == "ascii") {
    if (n != 1 || !IsStringLike(t[0])) return fail();
    return {SqlType::Int32(), {SqlType::Text()}};
  }
  if (name == "chr") {
    if (n != 1 || !IsIntLike(t[0])) return fail();
    return {SqlType::Text(), {SqlType::Int32()}};
  }
  if (name == "translate") {
    if (n != 3 || !IsStringLike(t[0]) || !IsStringLike(t[1]) || !IsStringLike(t[2])) return fail();
    return {SqlType::Text(), {SqlType::Text(), SqlType::Text(), SqlType::Text()}};
  }
  if (name == "concat_ws") {  // the values after the separator may be of any type: their text
    if (n < 2 || !IsStringLike(t[0])) return fail();
    return {SqlType::Text(), std::vector<SqlType>(n, SqlType::Text())};
  }
  if (name == "length" || name == "char_length" || name == "character_length" || name == "len" ||
      name == "octet_length") {
    if (n != 1 || !IsStringLike(t[0])) return fail();
    return {SqlType::Int32(), {t[0].id == TypeId::kChar ? t[0] : SqlType::Text()}};
  }
  if (name == "substring" || name == "substr") {
    if (n < 2 || n > 3 || !IsStringLike(t[0]) || !IsIntLike(t[1]) || (n == 3 && !IsIntLike(t[2]))) return fail();
    FunctionSignature sig{SqlType::Text(), {SqlType::Text(), SqlType::Int32()}};
    if (n == 3) sig.arg_types.push_back(SqlType::Int32());
    return sig;
  }
  if (name == "abs") {
    if (n != 1 || !t[0].is_numeric()) return fail();
    return {t[0], {t[0]}};
  }
  // Codes of values (executor/expr_text_codes.cpp).
  if (name == "sha1" || name == "func_sha1" || name == "crc32" || name == "soundex") {
    if (n != 1 || !IsStringLike(t[0])) return fail();
    return {SqlType::Text(), {SqlType::Text()}};
  }
  if (name == "fnv_hash") {  // any value of a basic type, hashed in its own type (executor/expr_fnv_hash.cpp)
    if (n < 1 || n > 2 || (n == 2 && !IsIntLike(t[1]))) return fail();
    SqlType value = t[0].id == TypeId::kNull ? SqlType::Int32() : t[0];
    if (value.id == TypeId::kSuper || value.id == TypeId::kInterval || value.is_time()) return fail();
    FunctionSignature sig{SqlType::Int64(), {value}};
    if (n == 2) sig.arg_types.push_back(SqlType::Int64());
    return sig;
  }
  if (name == "sha2") {
    if (n != 2 || !IsStringLike(t[0]) || !IsIntLike(t[1])) return fail();
    return {SqlType::Text(), {SqlType::Text(), SqlType::Int32()}};
  }
  if (name == "difference") {
    if (n != 2 || !IsStringLike(t[0]) || !IsStringLike(t[1])) return fail();
    return {SqlType::Int32(), {SqlType::Text(), SqlType::Text()}};
  }
  if (name == "strtol") {
    if (n != 2 || !IsStringLike(t[0]) || !IsIntLike(t[1])) return fail();
    return {SqlType::Int64(), {SqlType::Text(), SqlType::Int32()}};
  }
  if (name == "to_hex") {
    if (n != 1 || !IsIntLike(t[0])) return fail();
    SqlType arg = t[0].id == TypeId::kInt64 ? SqlType::Int64() : SqlType::Int32();
    return {SqlType::Text(), {arg}};
  }
  // The bitwise operators & | # ~ << >> (executor/expr_bitwise.cpp): on integers, in the wider
  // operand's type; a shift's count is an integer.
  if (name == "bitand" || name == "bitor" || name == "bitxor" || name == "bitshl" || name == "bitshr" || name == "bitnot") {
    const bool unary = name == "bitnot", shift = name == "bitshl" || name == "bitshr";
    if (n != (unary ? 1u : 2u)) return fail();
    for (const SqlType& a : t) {
      if (!IsIntLike(a)) return fail();
    }
    auto width = [](const SqlType& x) { return x.id == TypeId::kInt64 ? 3 : x.id == TypeId::kInt32 || x.id == TypeId::kNull ? 2 : 1; };
    SqlType r = t[0].id == TypeId::kNull ? SqlType::Int32() : t[0];
    if (!unary && !shift && width(t[1]) > width(r)) r = t[1];
    if (unary) return {r, {r}};
    return {r, {r, shift ? SqlType::Int32() : r}};
  }
  // The double-precision math functions (executor/expr_float_math.cpp), Redshift's result type.
  {
    static const char* const kUnary[] = {"sqrt", "dsqrt", "cbrt", "exp", "dexp", "ln", "dlog1", "log", "dlog10",
                                         "sign", "degrees", "radians", "sin", "cos", "tan", "cot", "asin",
                                         "acos", "atan"};
    static const char* const kBinary[] = {"power", "pow", "dpow", "atan2"};
    const bool unary = std::any_of(std::begin(kUnary), std::end(kUnary), [&](const char* u) { return name == u; });
    const bool binary = std::any_of(std::begin(kBinary), std::end(kBinary), [&](const char* b) { return name == b; });
    if (unary || binary || name == "pi" || name == "random") {
      const size_t want = name == "pi" || name == "random" ? 0 : unary ? 1 : 2;
      if (n != want) return fail();
      for (const SqlType& a : t) {
        if (!a.is_numeric() && a.id != TypeId::kNull) return fail();
      }
      return {SqlType::Float64(), std::vector<SqlType>(n, SqlType::Float64())};
    }
  }
  if (name == "round" || (name == "trunc" && n >= 1 && t[0].is_numeric()) || name == "floor" || name == "ceil" ||
      name == "ceiling") {
    // trunc(number [, digits]) is typed as round is (trunc(timestamp) is a date function).
    bool is_round = name == "round" || name == "trunc";
    if (n < 1 || n > (is_round ? 2u : 1u) || !t[0].is_numeric() || (n == 2 && !IsIntLike(t[1]))) return fail();
    if (t[0].is_float() || (!is_round && t[0].is_integer())) {
      FunctionSignature sig{SqlType::Float64(), {SqlType::Float64()}};
      if (n == 2) sig.arg_types.push_back(SqlType::Int32());
      return sig;
    }
    if (t[0].is_integer() && n == 1) return {SqlType::Float64(), {SqlType::Float64()}};  // round(int): dround
    SqlType d = IntegerAsDecimal(t[0]);
    const int p = d.precision, s = d.scale;
    if (n == 1) return {SqlType::Decimal(Cap(p - s + 1), 0), {d}};
    if (const plan::Literal* lit = ConstantLiteral(args, 1)) {
      int k = int(std::clamp<int64_t>(lit->i64(), -kMaxDecimalPrecision, kMaxDecimalPrecision));
      int scale = std::max(k, 0);
      return {SqlType::Decimal(std::max(Cap(p - s + 1 + scale), scale), scale), {d, SqlType::Int32()}};
    }
    return {SqlType::Decimal(Cap(p + 1), s), {d, SqlType::Int32()}};
  }
  if (name == "mod") {
    if (n != 2 || !t[0].is_numeric() || !t[1].is_numeric() || t[0].is_float() || t[1].is_float()) return fail();
    if (t[0].is_integer() && t[1].is_integer()) {
      SqlType w = *CommonType(t[0], t[1]);
      return {w, {w, w}};
    }
    SqlType a = IntegerAsDecimal(t[0]), b = IntegerAsDecimal(t[1]);
    return {DecimalResultType(plan::MOD, a, b), {a, b}};
  }
  if (name == "nullif" || name == "greatest" || name == "least") {
    if ((name == "nullif" && n != 2) || n == 0) return fail();
    std::optional<SqlType> common = CommonOfAll(t);
    if (!common) return fail();
    return {*common, std::vector<SqlType>(n, *common)};
  }
  if (name == "date_part" || name == "extract") {
    const bool own_type = t[1].id == TypeId::kInterval || t[1].is_time();  // read as they are
    if (n != 2 || !IsStringLike(t[0]) || !(t[1].is_temporal() || own_type)) return fail();
    if (name == "date_part") return {SqlType::Float64(), {SqlType::Text(), own_type ? t[1] : SqlType::Timestamp()}};
    bool is_date = t[1].id == TypeId::kDate;
    SqlType result = SqlType::Decimal(18, 6);
    if (const plan::Literal* lit = ConstantLiteral(args, 0)) result = ExtractType(lit->str(), is_date);
    return {result, {SqlType::Text(), t[1]}};
  }
  if (const std::optional<FunctionSignature> sig = ResolveDatetimeFunction(name, t, args)) return *sig;
  if (const std::optional<FunctionSignature> sig = ResolveIntervalFunction(name, t)) return *sig;
  if (const std::optional<FunctionSignature> sig = ResolveCatalogFunction(name, t)) return *sig;
  return fail();
}

}  // namespace strata

#include "planner/expr_text.h"

#include <cstring>

#include "planner/expr_builder.h"
#include "sql/value_text.h"

namespace strata {

namespace {

const char* InfixOp(plan::Op op) {
  switch (op) {
    case plan::ADD: return " + ";
    case plan::SUB: return " - ";
    case plan::MUL: return " * ";
    case plan::DIV: return " / ";
    case plan::MOD: return " % ";
    case plan::EQ: return " = ";
    case plan::NE: return " <> ";
    case plan::LT: return " < ";
    case plan::LE: return " <= ";
    case plan::GT: return " > ";
    case plan::GE: return " >= ";
    case plan::AND: return " AND ";
    case plan::OR: return " OR ";
    case plan::CONCAT: return " || ";
    case plan::LIKE: return " ~~ ";
    case plan::NOT_LIKE: return " !~~ ";
    case plan::ILIKE: return " ~~* ";
    case plan::NOT_ILIKE: return " !~~* ";
    default: return nullptr;
  }
}

std::string LiteralText(const plan::Expr& e) {
  SqlType t = ExprType(e);
  if (e.literal().is_null()) return "NULL";
  Vector v(t, 1);
  switch (t.physical()) {
    case PhysicalType::kString: v.SetString(0, e.literal().str()); break;
    case PhysicalType::kFloat32: v.data<float>()[0] = static_cast<float>(e.literal().f64()); break;
    case PhysicalType::kFloat64: v.data<double>()[0] = e.literal().f64(); break;
    case PhysicalType::kInt128: {
      int128 x = 0;
      if (e.literal().i128().size() == sizeof(x)) std::memcpy(&x, e.literal().i128().data(), sizeof(x));
      v.data<int128>()[0] = x;
      break;
    }
    case PhysicalType::kBool: v.data<uint8_t>()[0] = e.literal().i64() != 0; break;
    case PhysicalType::kInt16: v.data<int16_t>()[0] = static_cast<int16_t>(e.literal().i64()); break;
    case PhysicalType::kInt32: v.data<int32_t>()[0] = static_cast<int32_t>(e.literal().i64()); break;
    case PhysicalType::kInt64: v.data<int64_t>()[0] = e.literal().i64(); break;
  }
  std::string text = ValueText(v, 0);
  if (t.is_integer() || t.id == TypeId::kDecimal) return text;
  return "'" + text + "'::" + t.ToString();
}

}  // namespace

std::string ExprText(const plan::Expr& e, const std::vector<OutputColumn>& input) {
  switch (e.kind_case()) {
    case plan::Expr::kColumn:
      return e.column() < static_cast<int>(input.size()) ? input[e.column()].name : "$" + std::to_string(e.column());
    case plan::Expr::kLiteral: return LiteralText(e);
    case plan::Expr::kParam: return "$" + std::to_string(e.param());
    case plan::Expr::kOuterRef: return "$outer" + std::to_string(e.outer_ref());
    case plan::Expr::kCall: break;
    default: return "?";
  }
  const auto& c = e.call();
  std::vector<std::string> args;
  for (const auto& a : c.args()) args.push_back(ExprText(a, input));
  if (const char* op = InfixOp(c.op()); op != nullptr && args.size() == 2) return "(" + args[0] + op + args[1] + ")";
  if (c.op() == plan::AND || c.op() == plan::OR) {  // n-ary: (a AND b AND c)
    std::string out = "(" + args[0];
    for (size_t i = 1; i < args.size(); ++i) out += InfixOp(c.op()) + args[i];
    return out + ")";
  }
  switch (c.op()) {
    case plan::NOT: return "(NOT " + args[0] + ")";
    case plan::NEG: return "(- " + args[0] + ")";
    case plan::IS_NULL: return "(" + args[0] + " IS NULL)";
    case plan::IS_NOT_NULL: return "(" + args[0] + " IS NOT NULL)";
    case plan::CAST: case plan::ASSIGN_CAST: return "(" + args[0] + ")::" + ExprType(e).ToString();
    case plan::IN_LIST: {
      std::string s = "(" + args[0] + " IN (";
      for (size_t i = 1; i < args.size(); ++i) s += (i > 1 ? ", " : "") + args[i];
      return s + "))";
    }
    case plan::CASE: {
      std::string s = "CASE";
      size_t i = 0;
      for (; i + 1 < args.size(); i += 2) s += " WHEN " + args[i] + " THEN " + args[i + 1];
      if (i < args.size()) s += " ELSE " + args[i];
      return s + " END";
    }
    default: {
      std::string name = c.op() == plan::FUNCTION ? c.function() : c.op() == plan::COALESCE ? "coalesce" : "op";
      std::string s = name + "(";
      for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i];
      return s + ")";
    }
  }
}

}  // namespace strata

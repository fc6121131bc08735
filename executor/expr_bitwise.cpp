// The integer bitwise operators, which the parser hands over as functions: & (bitand), | (bitor),
// # (bitxor), << (bitshl), >> (bitshr) and prefix ~ (bitnot). They work in the operands' type
// (smallint, integer or bigint), as PostgreSQL's do; a shift's count is taken modulo the type's
// width (what PostgreSQL's C shifts do on the machines it runs on), and a left shift drops the
// bits it pushes out.
#include <type_traits>

#include "executor/expr_node.h"
#include "sql/error.h"

namespace strata {

namespace {

enum class BitFn : uint8_t { kAnd, kOr, kXor, kShl, kShr, kNot };

template <typename T>
T Apply(BitFn fn, T a, int64_t b) {
  using U = std::make_unsigned_t<T>;
  const int shift = static_cast<int>(static_cast<uint64_t>(b) & (sizeof(T) * 8 - 1));
  switch (fn) {
    case BitFn::kAnd: return static_cast<T>(a & static_cast<T>(b));
    case BitFn::kOr: return static_cast<T>(a | static_cast<T>(b));
    case BitFn::kXor: return static_cast<T>(a ^ static_cast<T>(b));
    case BitFn::kShl: return static_cast<T>(static_cast<U>(static_cast<U>(a) << shift));
    case BitFn::kShr: return static_cast<T>(a >> shift);
    case BitFn::kNot: return static_cast<T>(~a);
  }
  return a;
}

class BitwiseNode final : public ExprNode {
 public:
  BitwiseNode(SqlType type, BitFn fn, NodeList args) : ExprNode(type), fn_(fn), args_(std::move(args)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    Vector& r = ResetResult(n);
    uint8_t* rn = r.nulls();
    const Vector& a = args_[0]->Eval(input);
    const Vector* b = args_.size() > 1 ? &args_[1]->Eval(input) : nullptr;
    for (size_t i = 0; i < n; ++i) rn[i] = a.nulls()[i] | (b != nullptr ? b->nulls()[i] : 0);
    DispatchPhysical(type().physical(), [&]<typename T>() {
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        const T* x = a.data<T>();
        T* out = r.data<T>();
        if (b == nullptr) {
          for (size_t i = 0; i < n; ++i) out[i] = Apply<T>(fn_, x[i], 0);
          return;
        }
        // The second operand: of the same type, or (a shift's count) an integer.
        for (size_t i = 0; i < n; ++i) out[i] = rn[i] ? 0 : Apply<T>(fn_, x[i], IntegerAt(*b, i));
      } else {
        STRATA_INTERNAL_ERROR("bitwise operator over a non-integer type");
      }
    });
    return r;
  }

 private:
  BitFn fn_;
  NodeList args_;
};

}  // namespace

NodePtr MakeBitwiseFunctionNode(const std::string& name, const plan::Expr& expr, NodeList& args) {
  static const std::pair<const char*, BitFn> kNames[] = {{"bitand", BitFn::kAnd}, {"bitor", BitFn::kOr},
                                                         {"bitxor", BitFn::kXor}, {"bitshl", BitFn::kShl},
                                                         {"bitshr", BitFn::kShr}, {"bitnot", BitFn::kNot}};
  for (const auto& [n, fn] : kNames) {
    if (name != n) continue;
    if (args.size() != (fn == BitFn::kNot ? 1u : 2u)) STRATA_INTERNAL_ERROR(name, " with ", args.size(), " args");
    return std::make_unique<BitwiseNode>(FromProtoType(expr.type()), fn, std::move(args));
  }
  return nullptr;
}

}  // namespace strata

// Redshift's FNV_HASH(value [, seed]): the 64-bit FNV-1a hash of the value's binary form (an
// INTEGER's 4 bytes, a BIGINT's 8, a SMALLINT's 2, little-endian; a string's bytes, trailing
// blanks included; a REAL's 4 and a DOUBLE's 8 bytes; a BOOLEAN's byte; a DATE's 4 and a
// TIMESTAMP's 8 bytes; a DECIMAL's unscaled integer, 8 or 16 bytes), starting from `seed` (a
// BIGINT, for chaining columns: fnv_hash(b, fnv_hash(a))) or FNV's offset basis. A NULL value
// hashes nothing (the seed comes back, as a hash of no bytes); a NULL seed is NULL.
#include <cstring>

#include "executor/expr_node.h"
#include "sql/error.h"

namespace strata {

namespace {

constexpr uint64_t kOffsetBasis = 0xcbf29ce484222325ULL;
constexpr uint64_t kPrime = 0x100000001b3ULL;

inline uint64_t Fnv1a(const void* data, size_t size, uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= kPrime;
  }
  return h;
}

class FnvHashNode final : public ExprNode {
 public:
  FnvHashNode(NodeList args) : ExprNode(SqlType::Int64()), args_(std::move(args)) {}

  const Vector& Eval(const Batch& input) override {
    const size_t n = input.rows;
    const Vector& v = args_[0]->Eval(input);
    const Vector* seed = args_.size() > 1 ? &args_[1]->Eval(input) : nullptr;
    Vector& r = ResetResult(n);
    int64_t* out = r.data<int64_t>();
    uint8_t* rn = r.nulls();
    for (size_t i = 0; i < n; ++i) {
      rn[i] = seed != nullptr ? seed->nulls()[i] : 0;
      uint64_t h = seed != nullptr ? static_cast<uint64_t>(seed->data<int64_t>()[i]) : kOffsetBasis;
      if (!rn[i] && !v.IsNull(i)) h = HashAt(v, i, h);
      out[i] = static_cast<int64_t>(h);
    }
    return r;
  }

 private:
  static uint64_t HashAt(const Vector& v, size_t i, uint64_t h) {
    switch (v.physical()) {
      case PhysicalType::kBool: return Fnv1a(&v.data<uint8_t>()[i], 1, h);
      case PhysicalType::kInt16: return Fnv1a(&v.data<int16_t>()[i], 2, h);
      case PhysicalType::kInt32: return Fnv1a(&v.data<int32_t>()[i], 4, h);
      case PhysicalType::kInt64: return Fnv1a(&v.data<int64_t>()[i], 8, h);
      case PhysicalType::kInt128: return Fnv1a(&v.data<int128>()[i], 16, h);
      case PhysicalType::kFloat32: return Fnv1a(&v.data<float>()[i], 4, h);
      case PhysicalType::kFloat64: return Fnv1a(&v.data<double>()[i], 8, h);
      case PhysicalType::kString: {
        std::string_view s = v.data<std::string_view>()[i];
        return Fnv1a(s.data(), s.size(), h);
      }
    }
    return h;
  }

  NodeList args_;
};

}  // namespace

NodePtr MakeFnvHashNode(const std::string& name, NodeList& args) {
  if (name != "fnv_hash") return nullptr;
  if (args.empty() || args.size() > 2) STRATA_INTERNAL_ERROR("fnv_hash with ", args.size(), " args");
  return std::make_unique<FnvHashNode>(std::move(args));
}

}  // namespace strata

// CAST between all types, PostgreSQL's rules. A kernel (a template instantiated per pair of
// physical types) is picked once when the node is built:
//   int -> int: range checked ("integer out of range")     int -> decimal: 22003 numeric field overflow
//   decimal -> int: rounds half away from zero             decimal -> decimal: rescale, round, check
//   float -> int: rint (half to even), range checked       float -> decimal: via 15 (float4: 6)
//     significant digits, as PostgreSQL's float8_numeric   decimal -> float: correctly rounded
//   bool <-> int: 0/1                                       date <-> timestamp[tz]
//   anything -> string: AppendValueText (bool as true/false); CHAR(n) and VARCHAR(n) truncate
//     to n characters (explicit-cast semantics; CHAR padding is virtual, see StoreString)
//   string -> anything: ParseValueText (sql/value_text.h), which raises PostgreSQL's errors.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "executor/expr_decimal.h"
#include "executor/expr_node.h"
#include "executor/interval_math.h"
#include "sql/error.h"
#include "sql/interval_time.h"
#include "sql/value_text.h"

namespace strata {

namespace {

struct CastContext {
  SqlType from;
  SqlType to;
  bool assignment = false;  // INSERT's cast: an overlong string is an error, not truncated
};

using CastKernel = void (*)(const Vector& src, size_t n, Vector* dst, CastContext& ctx);

template <typename T>
constexpr bool kIsNumber = !std::is_same_v<T, std::string_view>;

template <typename T>
bool FitsInt(int128 v) {
  return v >= int128(std::numeric_limits<T>::min()) && v <= int128(std::numeric_limits<T>::max());
}

template <typename TS, typename TT>
void IntToInt(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  const uint8_t* nulls = src.nulls();
  bool bad = false;
  for (size_t i = 0; i < n; ++i) {
    bad |= !FitsInt<TT>(s[i]) & !nulls[i];
    d[i] = TT(s[i]);
  }
  if (bad) ThrowIntegerOutOfRange(ctx.to.id);
}

template <typename TS, typename TT>
void IntToDecimal(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  const uint8_t* nulls = src.nulls();
  const int128 factor = Pow10(ctx.to.scale);
  const int p = ctx.to.precision;
  bool bad = false;
  for (size_t i = 0; i < n; ++i) {
    int128 v;
    bad |= (__builtin_mul_overflow(int128(s[i]), factor, &v) || !FitsPrecision(v, p)) & !nulls[i];
    d[i] = TT(v);
  }
  if (bad) ThrowNumericOverflow();
}

template <typename TS, typename TT>
void DecimalToInt(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  const uint8_t* nulls = src.nulls();
  const int scale = ctx.from.scale;
  bool bad = false;
  for (size_t i = 0; i < n; ++i) {
    int128 v = scale == 0 ? int128(s[i]) : DivPow10Round(s[i], scale);
    bad |= !FitsInt<TT>(v) & !nulls[i];
    d[i] = TT(v);
  }
  if (bad) ThrowIntegerOutOfRange(ctx.to.id);
}

template <typename TS, typename TT>
void DecimalToDecimal(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  const uint8_t* nulls = src.nulls();
  const int shift = ctx.to.scale - ctx.from.scale;
  const int p = ctx.to.precision;
  bool bad = false;
  for (size_t i = 0; i < n; ++i) {
    int128 v = 0;
    bad |= (!RescaleDecimal(s[i], shift, &v) || !FitsPrecision(v, p)) & !nulls[i];
    d[i] = TT(v);
  }
  if (bad) ThrowNumericOverflow();
}

template <typename TS, typename TT>
void FloatToInt(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  const uint8_t* nulls = src.nulls();
  // Bounds as doubles: [min, -min) is exact for every integer width.
  const double lo = double(std::numeric_limits<TT>::min());
  const double hi = -lo;
  bool bad = false;
  for (size_t i = 0; i < n; ++i) {
    double v = std::rint(double(s[i]));
    bool ok = v >= lo && v < hi;  // false for NaN
    bad |= !ok & !nulls[i];
    d[i] = ok ? TT(v) : TT(0);
  }
  if (bad) ThrowIntegerOutOfRange(ctx.to.id);
}

template <typename TS, typename TT>
void NumberToFloat(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  for (size_t i = 0; i < n; ++i) d[i] = TT(s[i]);
}

template <typename TS, typename TT>
void FloatToFloat(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  const uint8_t* nulls = src.nulls();
  bool overflow = false, underflow = false;
  for (size_t i = 0; i < n; ++i) {
    d[i] = TT(s[i]);
    overflow |= std::isinf(d[i]) && !std::isinf(s[i]) && !nulls[i];
    underflow |= d[i] == 0 && s[i] != 0 && !nulls[i];
  }
  if (overflow) STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  if (underflow) STRATA_USER_ERROR(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
}

// Converts a float to an unscaled decimal through `digits` significant decimal digits.
bool FloatToUnscaled(double v, int digits, int scale, int128* out) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
  int128 mantissa = 0;
  const char* p = buf;
  bool negative = *p == '-';
  if (negative) ++p;
  for (; *p != 'e'; ++p) {
    if (*p >= '0' && *p <= '9') mantissa = mantissa * 10 + (*p - '0');
  }
  int exponent = std::atoi(p + 1);
  if (negative) mantissa = -mantissa;
  return RescaleDecimal(mantissa, exponent - (digits - 1) + scale, out);
}

template <typename TS, typename TT>
void FloatToDecimal(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  const uint8_t* nulls = src.nulls();
  const int digits = std::is_same_v<TS, float> ? 6 : 15;
  for (size_t i = 0; i < n; ++i) {
    d[i] = 0;
    if (nulls[i]) continue;
    double v = s[i];
    if (std::isnan(v)) {
      STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "cannot convert NaN to ", ctx.to.ToString());
    }
    int128 u = 0;
    if (std::isinf(v) || !FloatToUnscaled(v, digits, ctx.to.scale, &u) || !FitsPrecision(u, ctx.to.precision)) {
      ThrowNumericOverflow();
    }
    d[i] = TT(u);
  }
}

template <typename TS, typename TT>
void DecimalToFloat(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  const int scale = ctx.from.scale;
  // Exact operands give a correctly rounded quotient; otherwise go through the decimal text.
  const int max_exact_scale = std::is_same_v<TT, float> ? 10 : 22;
  const int128 max_exact = int128(1) << (std::is_same_v<TT, float> ? 24 : 53);
  const TT divisor = TT(Pow10(scale > max_exact_scale ? 0 : scale));
  for (size_t i = 0; i < n; ++i) {
    int128 v = s[i];
    if (scale <= max_exact_scale && v < max_exact && v > -max_exact) {
      d[i] = TT(v) / divisor;
    } else {
      std::string text = FormatDecimal(v, scale);
      d[i] = std::is_same_v<TT, float> ? TT(std::strtof(text.c_str(), nullptr)) : TT(std::strtod(text.c_str(), nullptr));
    }
  }
}

template <typename TS, typename TT>
void BoolAndInt(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const TS* s = src.data<TS>();
  TT* d = dst->data<TT>();
  for (size_t i = 0; i < n; ++i) d[i] = TT(s[i] != 0);
}

void DateToTimestamp(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const int32_t* s = src.data<int32_t>();
  int64_t* d = dst->data<int64_t>();
  for (size_t i = 0; i < n; ++i) {
    // The infinities map to the infinities, as PostgreSQL's date2timestamp.
    d[i] = s[i] == INT32_MAX ? INT64_MAX : s[i] == INT32_MIN ? INT64_MIN : int64_t(s[i]) * 86400000000LL;
  }
}

// timestamp / timestamptz -> time / timetz: the time of day (UTC for an instant, the session's
// zone); time <-> timetz keep their micros (the session is UTC).
void TimestampToTime(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const int64_t* s = src.data<int64_t>();
  int64_t* d = dst->data<int64_t>();
  uint8_t* nulls = dst->nulls();
  for (size_t i = 0; i < n; ++i) {
    if (s[i] == INT64_MAX || s[i] == INT64_MIN) nulls[i] = 1;  // an infinity has no time of day: NULL
    int64_t r = s[i] % kMicrosPerDayI;
    d[i] = r < 0 ? r + kMicrosPerDayI : r;
  }
}

void TimeToInterval(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const int64_t* s = src.data<int64_t>();
  int128* d = dst->data<int128>();
  for (size_t i = 0; i < n; ++i) d[i] = PackInterval(IntervalValue{0, 0, s[i]});
}

void IntervalToTimeKernel(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const int128* s = src.data<int128>();
  int64_t* d = dst->data<int64_t>();
  const uint8_t* nulls = src.nulls();
  for (size_t i = 0; i < n; ++i) d[i] = nulls[i] ? 0 : IntervalToTime(UnpackInterval(s[i]));
}

void TimeToTime(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  std::memcpy(dst->data<int64_t>(), src.data<int64_t>(), n * sizeof(int64_t));
}

void TimestampToDate(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const int64_t* s = src.data<int64_t>();
  int32_t* d = dst->data<int32_t>();
  constexpr int64_t kDay = 86400000000LL;
  for (size_t i = 0; i < n; ++i) {
    int64_t q = s[i] / kDay;
    if (s[i] % kDay < 0) --q;
    d[i] = s[i] == INT64_MAX ? INT32_MAX : s[i] == INT64_MIN ? INT32_MIN : int32_t(q);
  }
}

// Byte length of the first `chars` UTF-8 characters of s (all of s if shorter).
size_t PrefixBytes(std::string_view s, int chars, int* counted) {
  int c = 0;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    if ((uint8_t(s[i]) & 0xC0) != 0x80) {
      if (c == chars) break;
      ++c;
    }
  }
  *counted = c;
  return i;
}

// Applies the target string type's length rule to `s` and stores it at row i. CHAR(n) values
// are kept without their trailing spaces, as ParseValueText stores them: the padding is
// virtual (printed by AppendValueText, ignored by comparisons).
void StoreString(std::string_view s, size_t i, Vector* dst, const SqlType& to, bool assignment = false) {
  if ((to.id == TypeId::kVarchar || to.id == TypeId::kChar) && to.length >= 0) {
    int chars = 0;
    size_t keep = PrefixBytes(s, to.length, &chars);
    if (assignment && s.substr(keep).find_first_not_of(' ') != std::string_view::npos) {
      STRATA_USER_ERROR(sqlstate::kStringDataRightTruncation, "value too long for type ", to.ToString());
    }
    s = s.substr(0, keep);
  }
  if (to.id == TypeId::kChar) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  }
  dst->data<std::string_view>()[i] = s;  // a view into the source's heap, shared by the caller
}

void StringToString(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const std::string_view* s = src.data<std::string_view>();
  const uint8_t* nulls = src.nulls();
  bool strip = ctx.from.id == TypeId::kChar;
  dst->ShareHeaps(src);
  for (size_t i = 0; i < n; ++i) {
    if (nulls[i]) continue;
    std::string_view v = s[i];
    if (strip) {
      while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    }
    StoreString(v, i, dst, ctx.to, ctx.assignment);
  }
}

void ToString(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const uint8_t* nulls = src.nulls();
  bool is_bool = ctx.from.id == TypeId::kBool;
  std::string text;
  for (size_t i = 0; i < n; ++i) {
    if (nulls[i]) continue;
    text.clear();
    if (is_bool) text = src.data<uint8_t>()[i] ? "true" : "false";
    else AppendValueText(src, i, &text);
    StoreString(text, i, dst, ctx.to, ctx.assignment);
    dst->SetString(i, dst->data<std::string_view>()[i]);  // own the bytes, not the scratch
  }
}

void FromString(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  const std::string_view* s = src.data<std::string_view>();
  const uint8_t* nulls = src.nulls();
  for (size_t i = 0; i < n; ++i) {
    if (!nulls[i]) ParseValueText(s[i], dst, i);
  }
}

void AllNull(const Vector& src, size_t n, Vector* dst, CastContext& ctx) {
  std::memset(dst->nulls(), 1, n);
}

template <template <typename, typename> class K>
CastKernel PickNumeric(PhysicalType from, PhysicalType to) {
  CastKernel k = nullptr;
  DispatchPhysical(from, [&]<typename S>() {
    DispatchPhysical(to, [&]<typename T>() {
      if constexpr (kIsNumber<S> && kIsNumber<T>) k = &K<S, T>::Run;
    });
  });
  return k;
}

// Class wrappers so kernels can be passed as template template arguments.
#define STRATA_CAST_KERNEL(Name) \
  template <typename S, typename T> struct Name##K { static void Run(const Vector& a, size_t n, Vector* d, CastContext& c) { Name<S, T>(a, n, d, c); } };
STRATA_CAST_KERNEL(IntToInt)
STRATA_CAST_KERNEL(IntToDecimal)
STRATA_CAST_KERNEL(DecimalToInt)
STRATA_CAST_KERNEL(DecimalToDecimal)
STRATA_CAST_KERNEL(FloatToInt)
STRATA_CAST_KERNEL(NumberToFloat)
STRATA_CAST_KERNEL(FloatToFloat)
STRATA_CAST_KERNEL(FloatToDecimal)
STRATA_CAST_KERNEL(DecimalToFloat)
STRATA_CAST_KERNEL(BoolAndInt)
#undef STRATA_CAST_KERNEL

CastKernel PickKernel(const SqlType& from, const SqlType& to) {
  PhysicalType pf = from.physical(), pt = to.physical();
  if (from.id == TypeId::kNull) return &AllNull;
  if (from.is_string() && to.is_string()) return &StringToString;
  if (to.is_string()) return &ToString;
  if (from.is_string()) return &FromString;
  bool fi = from.is_integer(), ti = to.is_integer();
  bool fd = from.id == TypeId::kDecimal, td = to.id == TypeId::kDecimal;
  bool ff = from.is_float(), tf = to.is_float();
  bool fb = from.id == TypeId::kBool, tb = to.id == TypeId::kBool;
  if (fi && ti) return PickNumeric<IntToIntK>(pf, pt);
  if (fi && td) return PickNumeric<IntToDecimalK>(pf, pt);
  if (fd && ti) return PickNumeric<DecimalToIntK>(pf, pt);
  if (fd && td) return PickNumeric<DecimalToDecimalK>(pf, pt);
  if (ff && ti) return PickNumeric<FloatToIntK>(pf, pt);
  if ((fi || ff) && tf) return ff ? PickNumeric<FloatToFloatK>(pf, pt) : PickNumeric<NumberToFloatK>(pf, pt);
  if (ff && td) return PickNumeric<FloatToDecimalK>(pf, pt);
  if (fd && tf) return PickNumeric<DecimalToFloatK>(pf, pt);
  if ((fb && ti) || (fi && tb)) return PickNumeric<BoolAndIntK>(pf, pt);
  if (from.id == TypeId::kDate && to.is_timestamp()) return &DateToTimestamp;
  if (from.is_timestamp() && to.id == TypeId::kDate) return &TimestampToDate;
  if (from.is_timestamp() && to.is_time()) return &TimestampToTime;
  if (from.is_time() && to.is_time()) return &TimeToTime;
  if (from.id == TypeId::kTime && to.id == TypeId::kInterval) return &TimeToInterval;
  if (from.id == TypeId::kInterval && to.id == TypeId::kTime) return &IntervalToTimeKernel;
  return nullptr;
}

class CastNode final : public ExprNode {
 public:
  CastNode(const SqlType& target, NodePtr arg, CastKernel kernel, bool assignment)
      : ExprNode(target), arg_(std::move(arg)), kernel_(kernel) {
    ctx_.from = arg_->type();
    ctx_.to = target;
    ctx_.assignment = assignment;
  }

  const Vector& Eval(const Batch& input) override {
    size_t n = input.rows;
    const Vector& a = arg_->Eval(input);
    Vector& r = ResetResult(n);
    if (n > 0) std::memcpy(r.nulls(), a.nulls(), n);
    kernel_(a, n, &r, ctx_);
    return r;
  }

 private:
  NodePtr arg_;
  CastKernel kernel_;
  CastContext ctx_;
};

// Same type (and not a string needing a length rule): only the declared type changes.
class RetypeNode final : public ExprNode {
 public:
  RetypeNode(const SqlType& target, NodePtr arg) : ExprNode(target), arg_(std::move(arg)) {}
  const Vector& Eval(const Batch& input) override {
    result_ = arg_->Eval(input);
    result_.SetType(type_);
    return result_;
  }

 private:
  NodePtr arg_;
};

}  // namespace

NodePtr MakeCastNode(const SqlType& target, NodePtr arg, bool assignment) {
  const SqlType& from = arg->type();
  std::vector<int> cols = arg->columns();
  NodePtr node;
  if (from == target) {
    return arg;
  } else if (from.id == TypeId::kSuper || target.id == TypeId::kSuper) {
    node = MakeSuperCastNode(target, std::move(arg), assignment);
  } else if (from.physical() == target.physical() &&
             ((from.id == TypeId::kVarchar && target.id == TypeId::kText) ||
              (from.id == TypeId::kText && target.id == TypeId::kVarchar && target.length < 0) ||
              // The session time zone is UTC, so a wall time and an instant share their micros.
              (from.is_timestamp() && target.is_timestamp()) ||
              (from.id == TypeId::kDecimal && target.id == TypeId::kDecimal && from.scale == target.scale &&
               from.precision <= target.precision))) {
    node = std::make_unique<RetypeNode>(target, std::move(arg));
  } else {
    CastKernel kernel = PickKernel(from, target);
    if (kernel == nullptr) {
      STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "cannot cast type ", from.ToString(), " to ",
                        target.ToString());
    }
    node = std::make_unique<CastNode>(target, std::move(arg), kernel, assignment);
  }
  node->AddColumns(cols);
  return node;
}

}  // namespace strata

// Binary encodings of result values and decodings of binary parameters (see binary_values.h).
#include "server/pgwire/binary_values.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <vector>

#include "server/pgwire/wire_buffer.h"
#include "sql/array_types.h"
#include "sql/error.h"
#include "sql/pg_array_literal.h"
#include "sql/interval_time.h"
#include "sql/value_text.h"

namespace strata::pgwire {
namespace {

template <typename T>
void AppendBig(T v, std::string* out) {
  uint64_t bits = 0;
  if constexpr (std::is_floating_point_v<T>) {
    using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    U u;
    std::memcpy(&u, &v, sizeof(T));
    bits = u;
  } else {
    bits = static_cast<uint64_t>(static_cast<std::make_unsigned_t<T>>(v));
  }
  char b[8];
  PutBigEndian(bits, sizeof(T), b);
  out->append(b, sizeof(T));
}

[[noreturn]] void BadBinary(uint32_t oid) {
  throw SqlError(sqlstate::kInvalidBinaryRepresentation,
                 StrCat("incorrect binary data format for type oid ", oid));
}

void ExpectSize(std::string_view bytes, size_t n, uint32_t oid) {
  if (bytes.size() != n) BadBinary(oid);
}

// One array element's binary form from its text, by the element's type oid.
void AppendElementBinary(uint32_t elem_oid, std::string_view text, std::string* out) {
  auto integer = [&](auto zero) {
    decltype(zero) v = 0;
    auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (res.ec != std::errc() || res.ptr != text.data() + text.size()) BadBinary(elem_oid);
    return v;
  };
  std::string bytes;
  switch (elem_oid) {
    case 16: bytes.push_back(text == "t" || text == "true" ? 1 : 0); break;
    case 21: AppendBig(integer(int16_t{0}), &bytes); break;
    case 23: AppendBig(integer(int32_t{0}), &bytes); break;
    case 20: AppendBig(integer(int64_t{0}), &bytes); break;
    case 26: AppendBig(integer(uint32_t{0}), &bytes); break;
    case 700: AppendBig(std::strtof(std::string(text).c_str(), nullptr), &bytes); break;
    case 701: AppendBig(std::strtod(std::string(text).c_str(), nullptr), &bytes); break;
    case 18: case 19: case 25: case 1042: case 1043: bytes.assign(text); break;
    default:
      throw SqlError(sqlstate::kUndefinedFunction, StrCat("no binary output function available for type oid ", elem_oid));
  }
  MessageWriter w(out);
  w.Int32(static_cast<int32_t>(bytes.size()));
  out->append(bytes);
}

// An array carried as its text literal (sql/array_types.h), in array_send's form: ndim, has-null
// flag, element type, then per dimension its length and lower bound (0 for int2vector /
// oidvector), then each element as a length word (-1 for NULL) and its bytes.
void AppendArrayBinary(const ArrayTypeInfo& array, std::string_view text, std::string* out) {
  ArrayLiteralReader reader;
  if (array.vector) reader.ResetVector(text);
  else reader.Reset(text);
  std::string elements;
  int32_t count = 0;
  bool has_null = false;
  std::string_view v;
  bool is_null = false;
  while (reader.Next(&v, &is_null)) {
    ++count;
    if (is_null) {
      has_null = true;
      MessageWriter(&elements).Int32(-1);
    } else {
      AppendElementBinary(array.element_oid, v, &elements);
    }
  }
  MessageWriter w(out);
  w.Int32(count > 0 ? 1 : 0);
  w.Int32(has_null ? 1 : 0);
  w.Int32(static_cast<int32_t>(array.element_oid));
  if (count > 0) {
    w.Int32(count);
    w.Int32(array.vector ? 0 : 1);
  }
  out->append(elements);
}

}  // namespace

void AppendNumericBinary(int128 unscaled, int scale, std::string* out) {
  bool negative = unscaled < 0;
  unsigned __int128 abs = negative ? -static_cast<unsigned __int128>(unscaled)
                                   : static_cast<unsigned __int128>(unscaled);
  unsigned __int128 pow = static_cast<unsigned __int128>(Pow10(scale));
  unsigned __int128 int_part = abs / pow;
  unsigned __int128 frac_part = abs % pow;
  // Integer groups, least significant first, then reversed.
  std::vector<int16_t> digits;
  while (int_part > 0) {
    digits.push_back(static_cast<int16_t>(int_part % 10000));
    int_part /= 10000;
  }
  int weight = static_cast<int>(digits.size()) - 1;
  std::vector<int16_t> all(digits.rbegin(), digits.rend());
  // Fraction groups: pad the fraction to a multiple of 4 digits, then split most significant
  // first. The padding can push the value past int128 for scale 37..38, so work per group.
  int frac_groups = (scale + 3) / 4;
  for (int g = 0; g < frac_groups; ++g) {
    // Digits [4g, 4g+4) after the point: (frac * 10^(4g+4) / 10^scale) % 10000, computed
    // without overflow by dividing first.
    int hi = scale - 4 * (g + 1);  // how many fraction digits lie below this group
    unsigned __int128 group;
    if (hi >= 0) {
      group = (frac_part / static_cast<unsigned __int128>(Pow10(hi))) % 10000;
    } else {
      group = (frac_part % static_cast<unsigned __int128>(Pow10(4 + hi))) *
              static_cast<unsigned __int128>(Pow10(-hi));
    }
    all.push_back(static_cast<int16_t>(group));
  }
  size_t first = 0;
  while (first < all.size() && all[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = all.size();
  while (last > first && all[last - 1] == 0) --last;
  if (first == last) weight = 0;
  MessageWriter w(out);
  w.Int16(static_cast<int16_t>(last - first));
  w.Int16(static_cast<int16_t>(weight));
  w.Int16(static_cast<int16_t>(negative && first != last ? 0x4000 : 0));
  w.Int16(static_cast<int16_t>(scale));
  for (size_t i = first; i < last; ++i) w.Int16(all[i]);
}

void AppendValueBinary(const Vector& v, size_t row, std::string* out) {
  const SqlType& t = v.type();
  switch (t.id) {
    case TypeId::kBool:
      out->push_back(v.data<uint8_t>()[row] ? 1 : 0);
      return;
    case TypeId::kInt16:
      AppendBig(v.data<int16_t>()[row], out);
      return;
    case TypeId::kInt32:
    case TypeId::kDate:
      AppendBig(v.data<int32_t>()[row], out);
      return;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime:
      AppendBig(v.data<int64_t>()[row], out);
      return;
    case TypeId::kTimeTz:  // microseconds, then the zone in seconds west of UTC (always UTC here)
      AppendBig(v.data<int64_t>()[row], out);
      AppendBig(int32_t{0}, out);
      return;
    case TypeId::kInterval: {  // microseconds, days, months
      IntervalValue iv = UnpackInterval(v.data<int128>()[row]);
      AppendBig(iv.micros, out);
      AppendBig(iv.days, out);
      AppendBig(iv.months, out);
      return;
    }
    case TypeId::kFloat32:
      AppendBig(v.data<float>()[row], out);
      return;
    case TypeId::kFloat64:
      AppendBig(v.data<double>()[row], out);
      return;
    case TypeId::kDecimal: {
      int128 unscaled =
          v.physical() == PhysicalType::kInt64 ? v.data<int64_t>()[row] : v.data<int128>()[row];
      AppendNumericBinary(unscaled, t.scale, out);
      return;
    }
    case TypeId::kNull:
    case TypeId::kChar:
    case TypeId::kSuper:  // its JSON text
    case TypeId::kVarchar:
    case TypeId::kText:
      if (const ArrayTypeInfo* array = FindArrayType(t.array_oid())) {
        AppendArrayBinary(*array, v.data<std::string_view>()[row], out);
        return;
      }
      // The binary form of text types is their text form (CHAR(n) padded, as PostgreSQL).
      AppendValueText(v, row, out);
      return;
  }
  throw SqlError(sqlstate::kFeatureNotSupported,
                 StrCat("binary output of type ", t.ToString(), " is not supported"));
}

std::string FloatText(double v, bool single_precision) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = single_precision ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(v))
                              : std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string NumericBinaryToText(std::string_view bytes) {
  MessageReader r(bytes);
  int ndigits, weight, sign, dscale;
  try {
    ndigits = r.Int16();
    weight = r.Int16();
    sign = static_cast<uint16_t>(r.Int16());
    dscale = r.Int16();
  } catch (const ProtocolViolation&) {
    BadBinary(pg_oid::kNumeric);
  }
  if (ndigits < 0 || dscale < 0 || r.remaining() != static_cast<size_t>(ndigits) * 2) {
    BadBinary(pg_oid::kNumeric);
  }
  if (sign == 0xC000) return "NaN";
  if (sign == 0xD000) return "Infinity";
  if (sign == 0xF000) return "-Infinity";
  if (sign != 0 && sign != 0x4000) BadBinary(pg_oid::kNumeric);
  std::vector<int> digits(ndigits);
  for (int& d : digits) {
    d = r.Int16();
    if (d < 0 || d > 9999) BadBinary(pg_oid::kNumeric);
  }
  auto digit_at = [&](int k) { return k >= 0 && k < ndigits ? digits[k] : 0; };
  std::string out;
  if (sign == 0x4000 && ndigits > 0) out.push_back('-');
  if (weight < 0) {
    out.push_back('0');
  } else {
    for (int k = 0; k <= weight; ++k) {
      char buf[8];
      int d = digit_at(k);
      int n = k == 0 ? std::snprintf(buf, sizeof buf, "%d", d)
                     : std::snprintf(buf, sizeof buf, "%04d", d);
      out.append(buf, n);
    }
  }
  if (dscale > 0) {
    out.push_back('.');
    std::string frac;
    for (int k = weight + 1; static_cast<int>(frac.size()) < dscale; ++k) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%04d", digit_at(k));
      frac.append(buf, 4);
    }
    out.append(frac, 0, dscale);
  }
  return out;
}

std::string BinaryParamToText(uint32_t oid, std::string_view bytes) {
  auto big = [&](size_t n) { return GetBigEndian(bytes.data(), static_cast<int>(n)); };
  switch (oid) {
    case pg_oid::kBool:
      ExpectSize(bytes, 1, oid);
      return bytes[0] ? "t" : "f";
    case pg_oid::kInt2:
      ExpectSize(bytes, 2, oid);
      return std::to_string(static_cast<int16_t>(big(2)));
    case pg_oid::kInt4:
      ExpectSize(bytes, 4, oid);
      return std::to_string(static_cast<int32_t>(big(4)));
    case pg_oid::kInt8:
      ExpectSize(bytes, 8, oid);
      return std::to_string(static_cast<int64_t>(big(8)));
    case pg_oid::kFloat4: {
      ExpectSize(bytes, 4, oid);
      uint32_t u = static_cast<uint32_t>(big(4));
      float f;
      std::memcpy(&f, &u, 4);
      return FloatText(f, true);
    }
    case pg_oid::kFloat8: {
      ExpectSize(bytes, 8, oid);
      uint64_t u = big(8);
      double d;
      std::memcpy(&d, &u, 8);
      return FloatText(d, false);
    }
    case pg_oid::kDate:
      ExpectSize(bytes, 4, oid);
      return FormatDate(static_cast<int32_t>(big(4)));
    case pg_oid::kTimestamp:
      ExpectSize(bytes, 8, oid);
      return FormatTimestamp(static_cast<int64_t>(big(8)));
    case pg_oid::kTimestampTz:
      ExpectSize(bytes, 8, oid);
      return FormatTimestampTz(static_cast<int64_t>(big(8)));
    case pg_oid::kNumeric:
      return NumericBinaryToText(bytes);
    case pg_oid::kTime:
      ExpectSize(bytes, 8, oid);
      return FormatTime(static_cast<int64_t>(big(8)));
    case pg_oid::kTimeTz: {
      ExpectSize(bytes, 12, oid);
      // The zone (seconds west of UTC) applied: Strata keeps a timetz in UTC.
      int64_t local = static_cast<int64_t>(big(8));
      int32_t west = static_cast<int32_t>(GetBigEndian(bytes.data() + 8, 4));
      int64_t utc = (local + int64_t{west} * 1000000) % kMicrosPerDayI;
      if (utc < 0) utc += kMicrosPerDayI;
      return FormatTime(utc) + "+00";
    }
    case pg_oid::kInterval: {
      ExpectSize(bytes, 16, oid);
      IntervalValue iv;
      iv.micros = static_cast<int64_t>(big(8));
      iv.days = static_cast<int32_t>(GetBigEndian(bytes.data() + 8, 4));
      iv.months = static_cast<int32_t>(GetBigEndian(bytes.data() + 12, 4));
      return IntervalText(iv);
    }
    case pg_oid::kUnspecified:
    case pg_oid::kUnknown:
    case pg_oid::kText:
    case pg_oid::kVarchar:
    case pg_oid::kBpchar:
      return std::string(bytes);
    default:
      throw SqlError(sqlstate::kFeatureNotSupported,
                     StrCat("binary format for parameters of type oid ", oid, " is not supported"));
  }
}

}  // namespace strata::pgwire

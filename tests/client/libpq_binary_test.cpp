// Client test of PostgreSQL's binary wire formats with the real libpq against a running cluster
// (started by tests/client/libpq_test.sh). For every type it sends values as binary parameters
// (paramFormats = 1) and asks for binary results (resultFormat = 1), decoding them here, so the
// server's encoders and decoders are checked against formats written independently of them:
//   int2/int4/int8, float4/float8: big-endian two's complement / IEEE 754 bits;
//   bool: one byte; text/varchar/bpchar: the bytes; date: int32 days since 2000-01-01;
//   timestamp: int64 microseconds since 2000-01-01 00:00:00 (timestamptz: the same, in UTC);
//   numeric: int16 ndigits, int16 weight, int16 sign (0 or 0x4000), int16 dscale, then ndigits
//   base-10000 digits, most significant first; value = sum digit[i] * 10000^(weight - i).
// Values are written as text in the cases below; Encode turns one into its binary form and Decode
// turns a binary value back into a canonical text, so "expected" means Decode(Encode(text)).
// It also checks that PQftype/PQfmod agree between the simple and the extended protocol.
// Usage: libpq_binary_test PORT [PASSWORD]   (a password also turns on sslmode=require)
#include <libpq-fe.h>

#include "named_checks.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace {

constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kFloat4 = 700, kFloat8 = 701,
              kBpchar = 1042, kVarchar = 1043, kDate = 1082, kTimestamp = 1114, kTimestampTz = 1184,
              kNumeric = 1700;

using client_checks::Check;
using client_checks::CheckEq;

void PutBig(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetBig(const std::string& in, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in[pos + i]);
  return v;
}

// Days from 1970-01-01 for a proleptic Gregorian date (era arithmetic over 400-year cycles).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04" PRId64 "-%02" PRId64 "-%02" PRId64, yoe + era * 400 + (m <= 2), m, d);
  return buf;
}

constexpr int64_t kPgEpochDays = 10957;  // 2000-01-01 - 1970-01-01
constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

std::string EncodeNumeric(const std::string& text) {
  bool negative = text[0] == '-';
  std::string body = negative ? text.substr(1) : text;
  size_t dot = body.find('.');
  std::string int_part = body.substr(0, dot);
  std::string frac_part = dot == std::string::npos ? "" : body.substr(dot + 1);
  int dscale = static_cast<int>(frac_part.size());
  int_part.insert(0, (4 - int_part.size() % 4) % 4, '0');
  frac_part.append((4 - frac_part.size() % 4) % 4, '0');
  std::vector<int> groups;
  for (size_t i = 0; i < int_part.size(); i += 4) groups.push_back(std::stoi(int_part.substr(i, 4)));
  for (size_t i = 0; i < frac_part.size(); i += 4) groups.push_back(std::stoi(frac_part.substr(i, 4)));
  int weight = static_cast<int>(int_part.size() / 4) - 1;
  size_t first = 0;
  while (first < groups.size() && groups[first] == 0) { ++first; --weight; }
  size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) --last;
  std::string out;
  bool zero = first == last;
  PutBig(out, last - first, 2);
  PutBig(out, static_cast<uint16_t>(zero ? 0 : weight), 2);
  PutBig(out, negative && !zero ? 0x4000 : 0, 2);
  PutBig(out, dscale, 2);
  for (size_t i = first; i < last; ++i) PutBig(out, groups[i], 2);
  return out;
}

std::string DecodeNumeric(const std::string& v) {
  if (v.size() < 8) return "<short numeric>";
  int ndigits = static_cast<int16_t>(GetBig(v, 0, 2));
  int weight = static_cast<int16_t>(GetBig(v, 2, 2));
  int sign = static_cast<int>(GetBig(v, 4, 2));
  int dscale = static_cast<int>(GetBig(v, 6, 2));
  if (v.size() != 8 + 2 * static_cast<size_t>(ndigits)) return "<bad numeric length>";
  if (sign == 0xC000) return "NaN";
  auto digit = [&](int i) { return i >= 0 && i < ndigits ? static_cast<int>(GetBig(v, 8 + 2 * i, 2)) : 0; };
  std::string out = sign == 0x4000 ? "-" : "";
  if (weight < 0) {
    out += "0";
  } else {
    out += std::to_string(digit(0));
    char buf[8];
    for (int i = 1; i <= weight; ++i) { std::snprintf(buf, sizeof buf, "%04d", digit(i)); out += buf; }
  }
  if (dscale > 0) {
    std::string frac;
    char buf[8];
    for (int i = weight + 1; static_cast<int>(frac.size()) < dscale; ++i) { std::snprintf(buf, sizeof buf, "%04d", digit(i)); frac += buf; }
    out += "." + frac.substr(0, dscale);
  }
  return out;
}

// The binary form of a value written as text (see the top of the file).
std::string Encode(Oid type, const std::string& text) {
  std::string out;
  switch (type) {
    case kInt2: PutBig(out, static_cast<uint16_t>(std::stoi(text)), 2); break;
    case kInt4: PutBig(out, static_cast<uint32_t>(std::stol(text)), 4); break;
    case kInt8: PutBig(out, static_cast<uint64_t>(std::stoll(text)), 8); break;
    case kFloat4: { float f = std::strtof(text.c_str(), nullptr); uint32_t b; std::memcpy(&b, &f, 4); PutBig(out, b, 4); break; }
    case kFloat8: { double f = std::strtod(text.c_str(), nullptr); uint64_t b; std::memcpy(&b, &f, 8); PutBig(out, b, 8); break; }
    case kBool: out.push_back(text == "t" ? 1 : 0); break;
    case kNumeric: out = EncodeNumeric(text); break;
    case kDate: {
      int y, m, d;
      std::sscanf(text.c_str(), "%d-%d-%d", &y, &m, &d);
      PutBig(out, static_cast<uint32_t>(DaysFromCivil(y, m, d) - kPgEpochDays), 4);
      break;
    }
    case kTimestamp:
    case kTimestampTz: {  // the instant in UTC: same int64 microseconds since 2000-01-01
      int y, mo, d, h, mi, s, us = 0;
      std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d.%d", &y, &mo, &d, &h, &mi, &s, &us);
      int64_t micros = (DaysFromCivil(y, mo, d) - kPgEpochDays) * kMicrosPerDay + ((h * 60LL + mi) * 60 + s) * 1000000 + us;
      PutBig(out, static_cast<uint64_t>(micros), 8);
      break;
    }
    default: out = text;  // text, varchar, bpchar
  }
  return out;
}

// A canonical text for a binary value, or "<...>" when its length is wrong for the type.
std::string Decode(Oid type, const std::string& v) {
  char buf[64];
  auto want = [&](size_t n) { return v.size() == n; };
  switch (type) {
    case kInt2: return want(2) ? std::to_string(static_cast<int16_t>(GetBig(v, 0, 2))) : "<int2 length>";
    case kInt4: return want(4) ? std::to_string(static_cast<int32_t>(GetBig(v, 0, 4))) : "<int4 length>";
    case kInt8: return want(8) ? std::to_string(static_cast<int64_t>(GetBig(v, 0, 8))) : "<int8 length>";
    case kFloat4: {
      if (!want(4)) return "<float4 length>";
      uint32_t b = static_cast<uint32_t>(GetBig(v, 0, 4)); float f; std::memcpy(&f, &b, 4);
      std::snprintf(buf, sizeof buf, "%.9g (%a)", f, f); return buf;
    }
    case kFloat8: {
      if (!want(8)) return "<float8 length>";
      uint64_t b = GetBig(v, 0, 8); double f; std::memcpy(&f, &b, 8);
      std::snprintf(buf, sizeof buf, "%.17g (%a)", f, f); return buf;
    }
    case kBool: return want(1) ? (v[0] == 1 ? "t" : v[0] == 0 ? "f" : "<bool byte>") : "<bool length>";
    case kNumeric: return DecodeNumeric(v);
    case kDate: return want(4) ? CivilFromDays(static_cast<int32_t>(GetBig(v, 0, 4)) + kPgEpochDays) : "<date length>";
    case kTimestamp:
    case kTimestampTz: {
      if (!want(8)) return "<timestamp length>";
      int64_t micros = static_cast<int64_t>(GetBig(v, 0, 8));
      int64_t days = micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
      int64_t rest = micros - days * kMicrosPerDay;
      std::snprintf(buf, sizeof buf, " %02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%06" PRId64, rest / int64_t{3600000000},
                    rest / 60000000 % 60, rest / 1000000 % 60, rest % 1000000);
      return CivilFromDays(days + kPgEpochDays) + buf;
    }
    default: return "'" + v + "'";
  }
}

// One type: its SQL name, the parameter OID, and values (nullopt = NULL). stored[i], when given,
// is what the column returns for values[i] (bpchar pads).
struct TypeCase {
  std::string sql_type;
  Oid oid;
  std::vector<std::optional<std::string>> values;
  std::vector<std::optional<std::string>> stored;
};

std::vector<TypeCase> Cases() {
  using V = std::vector<std::optional<std::string>>;
  return {
      {"smallint", kInt2, V{"0", "-32768", "32767", "-1", std::nullopt}, {}},
      {"integer", kInt4, V{"0", "-2147483648", "2147483647", "-123456", std::nullopt}, {}},
      {"bigint", kInt8, V{"0", "-9223372036854775808", "9223372036854775807", "-9876543210", std::nullopt}, {}},
      {"numeric(20,5)", kNumeric,
       V{"0.00000", "-12345.67890", "123456789012345.00001", "-0.00001", "10000.00000", "0.10000", std::nullopt}, {}},
      {"real", kFloat4, V{"0", "-1.5", "3.40282347e38", "1.17549435e-38", "0.1", std::nullopt}, {}},
      {"double precision", kFloat8, V{"0", "-2.5", "1.7976931348623157e308", "4.9e-324", "0.1", std::nullopt}, {}},
      {"boolean", kBool, V{"t", "f", std::nullopt}, {}},
      {"varchar(30)", kVarchar, V{"", "hello", "\xc3\xbcn\xc3\xaf quote' \\", std::nullopt}, {}},
      {"varchar(30)", kText, V{"text-typed param", "", std::nullopt}, {}},
      {"char(4)", kBpchar, V{"abcd", "ab", std::nullopt}, V{"abcd", "ab  ", std::nullopt}},
      {"date", kDate, V{"2000-01-01", "1999-12-31", "1970-01-01", "2024-02-29", "1900-03-01", std::nullopt}, {}},
      {"timestamp", kTimestamp,
       V{"2000-01-01 00:00:00.000000", "1999-12-31 23:59:59.999999", "2024-01-02 03:04:05.123456",
         "1969-12-31 23:59:59.500000", "1900-03-01 12:00:00.000000", std::nullopt}, {}},
      {"timestamptz", kTimestampTz,
       V{"2000-01-01 00:00:00.000000", "1999-12-31 23:59:59.999999", "2024-01-02 03:04:05.123456",
         "1969-12-31 23:59:59.500000", std::nullopt}, {}},
  };
}

struct Result {
  PGresult* res;
  explicit Result(PGresult* r) : res(r) {}
  ~Result() { PQclear(res); }
  bool Ok() const { return PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK; }
  std::string Error() const { return std::string(PQresStatus(PQresultStatus(res))) + " " + PQresultErrorMessage(res); }
};

// Runs sql with binary parameters and binary (result_format 1) or text results.
PGresult* ExecBinary(PGconn* conn, const std::string& sql, const std::vector<Oid>& types,
                     const std::vector<std::optional<std::string>>& params, int result_format = 1) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const auto& p : params) {
    values.push_back(p ? p->data() : nullptr);
    lengths.push_back(p ? static_cast<int>(p->size()) : 0);
    formats.push_back(1);
  }
  return PQexecParams(conn, sql.c_str(), static_cast<int>(params.size()), types.data(), values.data(), lengths.data(),
                      formats.data(), result_format);
}

std::string Int4(int32_t v) { return Encode(kInt4, std::to_string(v)); }

std::string Cell(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col)) return "NULL";
  return Decode(type, std::string(PQgetvalue(res, row, col), PQgetlength(res, row, col)));
}

void TypeRoundTrips(PGconn* conn) {
  int table = 0;
  for (const TypeCase& tc : Cases()) {
    std::string name = "lb" + std::to_string(table++);
    std::string label = tc.sql_type + " (param oid " + std::to_string(tc.oid) + ")";
    Result create(PQexec(conn, ("create table " + name + " (k int, v " + tc.sql_type + ")").c_str()));
    Check(label + ": create table", create.Ok(), create.Error());
    for (size_t i = 0; i < tc.values.size(); ++i) {
      const auto& text = tc.values[i];
      std::optional<std::string> bin;
      if (text) bin = Encode(tc.oid, *text);
      const auto& stored = tc.stored.empty() ? text : tc.stored[i];
      std::string want = stored ? Decode(tc.oid, Encode(tc.oid, *stored)) : "NULL";
      std::string what = label + " value " + (text ? "'" + *text + "'" : "NULL");
      // Straight through: a binary parameter cast to the type and returned as a binary result.
      Result echo(ExecBinary(conn, "select $1::" + tc.sql_type, {tc.oid}, {bin}));
      if (!echo.Ok()) { Check(what + ": select $1::type", false, echo.Error()); continue; }
      CheckEq(what + ": select $1::type (binary in, binary out)", want, Cell(echo.res, 0, 0, tc.oid));
      // Through a table: binary INSERT, then binary SELECT with a binary parameter in WHERE.
      Result insert(ExecBinary(conn, "insert into " + name + " values ($1, $2)", {kInt4, tc.oid},
                               {Int4(static_cast<int32_t>(i)), bin}));
      Check(what + ": binary insert", insert.Ok(), insert.Error());
      Result select(ExecBinary(conn, "select v, k from " + name + " where k = $1", {kInt4}, {Int4(static_cast<int32_t>(i))}));
      if (!select.Ok() || PQntuples(select.res) != 1) {
        Check(what + ": binary select", false, select.Ok() ? std::to_string(PQntuples(select.res)) + " rows" : select.Error());
        continue;
      }
      CheckEq(what + ": stored and read back in binary", want, Cell(select.res, 0, 0, tc.oid));
      CheckEq(what + ": int4 key column in binary", std::to_string(i), Cell(select.res, 0, 1, kInt4));
      if (text) {  // WHERE v = $1 with the binary parameter finds the row again
        Result where(ExecBinary(conn, "select k from " + name + " where v = $1", {tc.oid}, {bin}));
        CheckEq(what + ": WHERE v = $1 (binary param)", std::to_string(i),
                where.Ok() && PQntuples(where.res) == 1 ? Cell(where.res, 0, 0, kInt4) : where.Error());
      }
    }
  }
}

// timestamptz between text and binary: a zone written in a text parameter is applied, the binary
// result is the UTC instant, and the text result ends with "+00".
void TimestampTzForms(PGconn* conn) {
  const char* values[1] = {"2024-01-02 03:04:05.25+02:30"};
  const Oid types[1] = {kTimestampTz};
  Result binary(PQexecParams(conn, "select $1::timestamptz", 1, types, values, nullptr, nullptr, 1));
  CheckEq("timestamptz: text param with zone, binary result is the UTC instant", "2024-01-02 00:34:05.250000",
          binary.Ok() && PQntuples(binary.res) == 1 ? Cell(binary.res, 0, 0, kTimestampTz) : binary.Error());
  CheckEq("timestamptz: result column OID", std::to_string(kTimestampTz),
          binary.Ok() ? std::to_string(PQftype(binary.res, 0)) : binary.Error());
  std::optional<std::string> bin = Encode(kTimestampTz, "2024-06-30 23:30:00.000000");
  Result text(ExecBinary(conn, "select $1::timestamptz", {kTimestampTz}, {bin}, 0));
  CheckEq("timestamptz: binary param, text result", "2024-06-30 23:30:00+00",
          text.Ok() && PQntuples(text.res) == 1 ? std::string(PQgetvalue(text.res, 0, 0)) : text.Error());
}

// The same query's column OIDs and typmods through the simple protocol (PQexec), the extended
// protocol (PQexecParams, text and binary results) and a prepared statement's Describe.
void ColumnTypesAgree(PGconn* conn) {
  Result create(PQexec(conn, "create table lt (i2 smallint, i4 int, i8 bigint, n numeric(20,5), f4 real, "
                             "f8 double precision, b boolean, v varchar(30), c char(4), d date, ts timestamp, "
                             "tz timestamptz)"));
  Check("create table lt", create.Ok(), create.Error());
  const char* sql = "select i2, i4, i8, n, f4, f8, b, v, c, d, ts, tz, i4 + 1 as e, 'x' as lit from lt";
  const std::vector<Oid> want = {kInt2, kInt4, kInt8, kNumeric, kFloat4, kFloat8, kBool, kVarchar, kBpchar, kDate,
                                 kTimestamp, kTimestampTz};
  Result simple(PQexec(conn, sql));
  Result extended_text(PQexecParams(conn, sql, 0, nullptr, nullptr, nullptr, nullptr, 0));
  Result extended_binary(PQexecParams(conn, sql, 0, nullptr, nullptr, nullptr, nullptr, 1));
  Result prepare(PQprepare(conn, "lt_stmt", sql, 0, nullptr));
  Result described(PQdescribePrepared(conn, "lt_stmt"));
  for (const Result* r : {&simple, &extended_text, &extended_binary, &prepare, &described}) {
    if (!r->Ok()) { Check("column types query", false, r->Error()); return; }
  }
  auto types = [](const PGresult* res) {
    std::string out;
    for (int i = 0; i < PQnfields(res); ++i)
      out += std::string(PQfname(res, i)) + ":" + std::to_string(PQftype(res, i)) + "/" + std::to_string(PQfmod(res, i)) + " ";
    return out;
  };
  std::string base = types(simple.res);
  CheckEq("PQftype/PQfmod: extended (text results) = simple", base, types(extended_text.res));
  CheckEq("PQftype/PQfmod: extended (binary results) = simple", base, types(extended_binary.res));
  CheckEq("PQftype/PQfmod: Describe of a prepared statement = simple", base, types(described.res));
  std::string oids, want_oids;
  for (size_t i = 0; i < want.size(); ++i) {
    oids += std::to_string(PQftype(simple.res, static_cast<int>(i))) + " ";
    want_oids += std::to_string(want[i]) + " ";
  }
  CheckEq("column OIDs of the table's types", want_oids, oids);
  CheckEq("numeric(20,5) typmod", std::to_string((20 << 16 | 5) + 4), std::to_string(PQfmod(simple.res, 3)));
  CheckEq("varchar(30) typmod", "34", std::to_string(PQfmod(simple.res, 7)));
  CheckEq("char(4) typmod", "8", std::to_string(PQfmod(simple.res, 8)));
  for (int i = 0; i < PQnfields(extended_binary.res); ++i) {
    if (PQfformat(extended_binary.res, i) != 1) { Check("binary result format on every column", false, PQfname(extended_binary.res, i)); return; }
  }
  Check("binary result format on every column", true);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: libpq_binary_test PORT [PASSWORD]\n"); return 2; }
  std::string conninfo = std::string("host=127.0.0.1 port=") + argv[1] + " user=strata dbname=dev connect_timeout=10";
  conninfo += argc > 2 && argv[2][0] ? std::string(" sslmode=require password=") + argv[2] : " sslmode=disable";
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::printf("FAIL connect: %s\n", PQerrorMessage(conn));
    PQfinish(conn);
    return 1;
  }
  Check("connected (TLS " + std::string(PQsslInUse(conn) ? "on" : "off") + ")", (argc > 2 && argv[2][0]) == (PQsslInUse(conn) == 1));
  {
    Result pid(PQexec(conn, "select pg_backend_pid()"));
    CheckEq("pg_backend_pid() is the pid of BackendKeyData", std::to_string(PQbackendPID(conn)),
            pid.Ok() && PQntuples(pid.res) == 1 ? std::string(PQgetvalue(pid.res, 0, 0)) : pid.Error());
  }
  TypeRoundTrips(conn);
  ColumnTypesAgree(conn);
  TimestampTzForms(conn);
  PQfinish(conn);
  return client_checks::Finish();
}

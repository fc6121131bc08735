// EncodeKeys (a batch of keys, column by column) must give, row for row, the bytes EncodeKey
// gives one row at a time: join and aggregate tables compare keys made by either.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "executor/row_hash.h"
#include "sql/vector.h"

namespace strata {
namespace {

TEST(RowHash, EncodeKeysMatchesEncodeKeyRowByRow) {
  const size_t n = 257;
  Vector i32(SqlType::Int32(), n), i64(SqlType::Int64(), n), dec(SqlType::Decimal(38, 2), n), f64(SqlType::Float64(), n),
      text(SqlType::Varchar(20), n), chr(SqlType::Char(6), n), small(SqlType::Int16(), n);
  for (size_t r = 0; r < n; ++r) {
    i32.data<int32_t>()[r] = static_cast<int32_t>(r * 7919) - 1000;
    i64.data<int64_t>()[r] = static_cast<int64_t>(r) << 40;
    dec.data<int128>()[r] = static_cast<int128>(r) * 1000000007;
    f64.data<double>()[r] = r % 5 == 0 ? -0.0 : static_cast<double>(r) / 3;
    text.SetString(r, std::string(r % 13, static_cast<char>('a' + r % 26)));
    chr.SetString(r, r % 2 ? "ab    " : "ab");
    small.data<int16_t>()[r] = static_cast<int16_t>(r % 300);
    i32.SetNull(r, r % 11 == 3);
    text.SetNull(r, r % 17 == 5);
    chr.SetNull(r, r % 19 == 7);
  }
  std::vector<const Vector*> cols{&i32, &text, &i64, &dec, &f64, &chr, &small};
  std::string bytes = "prefix";  // appended after what is there
  std::vector<uint32_t> offsets{0};
  std::vector<uint8_t> valid{9};
  EncodeKeys(cols, n, &bytes, &offsets, &valid);
  ASSERT_EQ(offsets.size(), n + 1);
  ASSERT_EQ(valid.size(), n + 1);
  for (size_t r = 0; r < n; ++r) {
    std::string one;
    bool ok = EncodeKey(cols, r, &one);
    size_t end = r + 1 < n ? offsets[r + 2] : bytes.size();
    EXPECT_EQ(bytes.substr(offsets[r + 1], end - offsets[r + 1]), one) << "row " << r;
    EXPECT_EQ(valid[r + 1], ok ? 1 : 0) << "row " << r;
  }
  // CHAR ignores trailing spaces; -0.0 keys as 0.0.
  std::string a, b;
  EncodeKey({&chr}, 0, &a);
  EncodeKey({&chr}, 1, &b);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace strata

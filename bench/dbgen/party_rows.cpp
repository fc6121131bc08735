// SUPPLIER and CUSTOMER, the two "parties" (name, address, nation, phone, account balance).
//
// Q16's supplier complaints: SF*5 suppliers carry "Customer ... Complaints" and SF*5 others
// "Customer ... Recommends" inside their comment. The chosen rows are stratified so that the
// choice is a function of the row index alone: the suppliers are cut into `count` equal strata
// and each stratum picks one row from its own random stream.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "bench/dbgen/table_rows.h"
#include "bench/dbgen/word_lists.h"

namespace strata::dbgen {
namespace {

enum SupplierColumn { kSAddress, kSNation, kSPhone, kSAcctbal, kSComment, kSComplaint, kSRecommend };
enum CustomerColumn { kCAddress, kCNation, kCPhone, kCAcctbal, kCSegment, kCComment };

constexpr char kAlphabet[] =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,.";
static_assert(sizeof(kAlphabet) == 65);

// Which rows carry the Complaints / Recommends marks.
class CommentMarks {
 public:
  CommentMarks(int64_t suppliers, double scale_factor) : suppliers_(suppliers) {
    count_ = std::clamp<int64_t>(std::llround(scale_factor * 5), 1, suppliers);
  }
  // The row picked in row's stratum by the given stream.
  bool Picked(int64_t row, int column) const {
    const int64_t k = ((row + 1) * count_ - 1) / suppliers_;
    const int64_t first = k * suppliers_ / count_;
    const int64_t last = (k + 1) * suppliers_ / count_ - 1;
    RowRandom rng(StreamSeed(TpchTable::kSupplier, column), k);
    return rng.Uniform(first, last) == row;
  }

 private:
  int64_t suppliers_;
  int64_t count_;
};

// Overwrites part of `comment` (at least 18 characters) with "Customer<noise>Complaints".
void MarkComment(char* comment, int64_t len, std::string_view word, RowRandom& rng) {
  constexpr std::string_view kCustomer = "Customer";
  const int64_t fixed = static_cast<int64_t>(kCustomer.size() + word.size());
  const int64_t noise = rng.Uniform(0, len - fixed);
  const int64_t start = rng.Uniform(0, len - fixed - noise);
  std::memcpy(comment + start, kCustomer.data(), kCustomer.size());
  std::memcpy(comment + start + kCustomer.size() + noise, word.data(), word.size());
}

}  // namespace

void AppendVString(RowBuffer& out, RowRandom& rng, int min_len, int max_len) {
  const int64_t len = rng.Uniform(min_len, max_len);
  char* p = out.Cursor();
  uint64_t bits = 0;
  for (int64_t i = 0; i < len; ++i) {
    if (i % 10 == 0) bits = rng.Next();
    p[i] = kAlphabet[bits & 63];
    bits >>= 6;
  }
  p[len] = '|';
  out.Advance(static_cast<size_t>(len) + 1);
}

void AppendPhone(RowBuffer& out, RowRandom& rng, int nation_key) {
  char* p = out.Cursor();
  const int country = nation_key + 10;
  const int64_t a = rng.Uniform(100, 999), b = rng.Uniform(100, 999), c = rng.Uniform(1000, 9999);
  p[0] = static_cast<char>('0' + country / 10);
  p[1] = static_cast<char>('0' + country % 10);
  p[2] = '-';
  p[3] = static_cast<char>('0' + a / 100);
  p[4] = static_cast<char>('0' + a / 10 % 10);
  p[5] = static_cast<char>('0' + a % 10);
  p[6] = '-';
  p[7] = static_cast<char>('0' + b / 100);
  p[8] = static_cast<char>('0' + b / 10 % 10);
  p[9] = static_cast<char>('0' + b % 10);
  p[10] = '-';
  p[11] = static_cast<char>('0' + c / 1000);
  p[12] = static_cast<char>('0' + c / 100 % 10);
  p[13] = static_cast<char>('0' + c / 10 % 10);
  p[14] = static_cast<char>('0' + c % 10);
  p[15] = '|';
  out.Advance(16);
}

void SupplierRows(const GenContext& ctx, int64_t begin, int64_t end, RowBuffer& out) {
  // Scale factor as implied by the supplier count (SF * 10,000).
  const CommentMarks marks(ctx.counts.suppliers, static_cast<double>(ctx.counts.suppliers) / 10'000);
  const uint64_t seed[] = {
      StreamSeed(TpchTable::kSupplier, kSAddress), StreamSeed(TpchTable::kSupplier, kSNation),
      StreamSeed(TpchTable::kSupplier, kSPhone),   StreamSeed(TpchTable::kSupplier, kSAcctbal),
      StreamSeed(TpchTable::kSupplier, kSComment)};
  for (int64_t row = begin; row < end; ++row) {
    out.BeginRow();
    out.Int(row + 1);
    out.Padded9("Supplier#", row + 1);
    RowRandom address(seed[kSAddress], row);
    AppendVString(out, address, 10, 40);
    RowRandom nation_rng(seed[kSNation], row);
    const int nation = static_cast<int>(nation_rng.Uniform(0, 24));
    out.Int(nation);
    RowRandom phone(seed[kSPhone], row);
    AppendPhone(out, phone, nation);
    RowRandom acctbal(seed[kSAcctbal], row);
    out.Cents(acctbal.Uniform(-99'999, 999'999));
    RowRandom comment_rng(seed[kSComment], row);
    const std::string_view comment = ctx.pool->Substring(comment_rng, 25, 100);
    const bool complaint = marks.Picked(row, kSComplaint);
    const bool recommend = !complaint && marks.Picked(row, kSRecommend);
    if (complaint || recommend) {
      char* p = out.Cursor();
      out.Text(comment);
      MarkComment(p, static_cast<int64_t>(comment.size()), complaint ? "Complaints" : "Recommends",
                  comment_rng);
    } else {
      out.Text(comment);
    }
    out.EndRow();
  }
}

void CustomerRows(const GenContext& ctx, int64_t begin, int64_t end, RowBuffer& out) {
  const auto segments = MarketSegments();
  const uint64_t seed[] = {
      StreamSeed(TpchTable::kCustomer, kCAddress), StreamSeed(TpchTable::kCustomer, kCNation),
      StreamSeed(TpchTable::kCustomer, kCPhone),   StreamSeed(TpchTable::kCustomer, kCAcctbal),
      StreamSeed(TpchTable::kCustomer, kCSegment), StreamSeed(TpchTable::kCustomer, kCComment)};
  for (int64_t row = begin; row < end; ++row) {
    out.BeginRow();
    out.Int(row + 1);
    out.Padded9("Customer#", row + 1);
    RowRandom address(seed[kCAddress], row);
    AppendVString(out, address, 10, 40);
    RowRandom nation_rng(seed[kCNation], row);
    const int nation = static_cast<int>(nation_rng.Uniform(0, 24));
    out.Int(nation);
    RowRandom phone(seed[kCPhone], row);
    AppendPhone(out, phone, nation);
    RowRandom acctbal(seed[kCAcctbal], row);
    out.Cents(acctbal.Uniform(-99'999, 999'999));
    RowRandom segment(seed[kCSegment], row);
    out.Text(segments[segment.Uniform(0, static_cast<int64_t>(segments.size()) - 1)]);
    RowRandom comment(seed[kCComment], row);
    out.Text(ctx.pool->Substring(comment, 29, 116));
    out.EndRow();
  }
}

}  // namespace strata::dbgen


// PART and its four PARTSUPP rows. P_RETAILPRICE and PS_SUPPKEY are formulas of the part key;
// everything else is drawn from the part row's streams.
#include "bench/dbgen/table_rows.h"
#include "bench/dbgen/word_lists.h"

namespace strata::dbgen {
namespace {

enum PartColumn { kPName, kPMfgr, kPType, kPSize, kPContainer, kPComment, kPsAvail, kPsCost, kPsComment };

template <typename List>
std::string_view PickFrom(RowRandom& rng, const List& list) {
  return list[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(list.size()) - 1))];
}

// P_NAME: five distinct colour words separated by single spaces.
void AppendPartName(RowBuffer& out, RowRandom& rng) {
  const auto colors = PartColors();
  int picked[5];
  char* p = out.Cursor();
  size_t n = 0;
  for (int i = 0; i < 5; ++i) {
    int word;
    bool repeat;
    do {
      word = static_cast<int>(rng.Uniform(0, static_cast<int64_t>(colors.size()) - 1));
      repeat = false;
      for (int j = 0; j < i; ++j) repeat |= picked[j] == word;
    } while (repeat);
    picked[i] = word;
    if (i > 0) p[n++] = ' ';
    colors[word].copy(p + n, colors[word].size());
    n += colors[word].size();
  }
  p[n++] = '|';
  out.Advance(n);
}

}  // namespace

void PartRows(const GenContext& ctx, int64_t begin, int64_t end, RowBuffer* part,
              RowBuffer* partsupp) {
  uint64_t seed[kPsComment + 1];
  for (int c = 0; c <= kPsComment; ++c) seed[c] = StreamSeed(TpchTable::kPart, c);
  const int64_t suppliers = ctx.counts.suppliers;
  for (int64_t row = begin; row < end; ++row) {
    const int64_t partkey = row + 1;
    if (part != nullptr) {
      RowBuffer& out = *part;
      out.BeginRow();
      out.Int(partkey);
      RowRandom name(seed[kPName], row);
      AppendPartName(out, name);
      RowRandom mfgr_rng(seed[kPMfgr], row);
      const int64_t mfgr = mfgr_rng.Uniform(1, 5);
      const int64_t brand = mfgr * 10 + mfgr_rng.Uniform(1, 5);
      char* p = out.Cursor();
      constexpr std::string_view kMfgr = "Manufacturer#";
      kMfgr.copy(p, kMfgr.size());
      p[kMfgr.size()] = static_cast<char>('0' + mfgr);
      p[kMfgr.size() + 1] = '|';
      out.Advance(kMfgr.size() + 2);
      p = out.Cursor();
      constexpr std::string_view kBrand = "Brand#";
      kBrand.copy(p, kBrand.size());
      p[kBrand.size()] = static_cast<char>('0' + brand / 10);
      p[kBrand.size() + 1] = static_cast<char>('0' + brand % 10);
      p[kBrand.size() + 2] = '|';
      out.Advance(kBrand.size() + 3);
      RowRandom type(seed[kPType], row);
      p = out.Cursor();
      size_t n = 0;
      for (std::string_view s : {PickFrom(type, TypeSyllable1()), PickFrom(type, TypeSyllable2()),
                                 PickFrom(type, TypeSyllable3())}) {
        if (n > 0) p[n++] = ' ';
        s.copy(p + n, s.size());
        n += s.size();
      }
      p[n++] = '|';
      out.Advance(n);
      RowRandom size(seed[kPSize], row);
      out.Int(size.Uniform(1, 50));
      RowRandom container(seed[kPContainer], row);
      const std::string_view c1 = PickFrom(container, ContainerSyllable1());
      const std::string_view c2 = PickFrom(container, ContainerSyllable2());
      p = out.Cursor();
      c1.copy(p, c1.size());
      p[c1.size()] = ' ';
      c2.copy(p + c1.size() + 1, c2.size());
      p[c1.size() + 1 + c2.size()] = '|';
      out.Advance(c1.size() + c2.size() + 2);
      out.Cents(RetailPriceCents(partkey));
      RowRandom comment(seed[kPComment], row);
      out.Text(ctx.pool->Substring(comment, 5, 22));
      out.EndRow();
    }
    if (partsupp != nullptr) {
      RowRandom avail(seed[kPsAvail], row);
      RowRandom cost(seed[kPsCost], row);
      RowRandom comment(seed[kPsComment], row);
      for (int i = 0; i < kPartsuppPerPart; ++i) {
        RowBuffer& out = *partsupp;
        out.BeginRow();
        out.Int(partkey);
        out.Int(PartSupplierKey(partkey, i, suppliers));
        out.Int(avail.Uniform(1, 9999));
        out.Cents(cost.Uniform(100, 100'000));
        out.Text(ctx.pool->Substring(comment, 49, 198));
        out.EndRow();
      }
    }
  }
}

}  // namespace strata::dbgen

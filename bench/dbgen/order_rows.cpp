// ORDERS and LINEITEM. Each order draws its line count (1..7) and then its lines; the order's
// status (F, O or P) and total price (sum of extendedprice * (1 + tax) * (1 - discount),
// rounded to cents once at the end) follow from its lines, so both tables come from one pass.
// Lineitem streams are positioned by the order's row and step once per line.
#include "bench/dbgen/table_rows.h"
#include "bench/dbgen/word_lists.h"

namespace strata::dbgen {
namespace {

enum OrderColumn { kOCust, kODate, kOPriority, kOClerk, kOComment, kOLines };
enum LineColumn { kLPart, kLSupp, kLQuantity, kLDiscount, kLTax, kLShip, kLCommit, kLReceipt,
                  kLReturn, kLInstruct, kLMode, kLComment, kLineColumns };

struct Line {
  int64_t partkey;
  int64_t suppkey;
  int64_t quantity;
  int64_t extended_cents;
  int64_t discount;  // hundredths
  int64_t tax;       // hundredths
  int ship_day, commit_day, receipt_day;
  char return_flag, line_status;
};

// Customer keys that are multiples of 3 never order: the k-th non-multiple is 1, 2, 4, 5, 7...
int64_t OrderingCustomer(int64_t k) { return k / 2 * 3 + k % 2 + 1; }

}  // namespace

void OrderRows(const GenContext& ctx, int64_t begin, int64_t end, RowBuffer* orders,
               RowBuffer* lineitem) {
  const auto priorities = OrderPriorities();
  const auto instructions = ShipInstructions();
  const auto modes = ShipModes();
  uint64_t oseed[kOLines + 1];
  for (int c = 0; c <= kOLines; ++c) oseed[c] = StreamSeed(TpchTable::kOrders, c);
  uint64_t lseed[kLineColumns];
  for (int c = 0; c < kLineColumns; ++c) lseed[c] = StreamSeed(TpchTable::kLineitem, c);
  const int64_t customers = ctx.counts.customers;
  const int64_t ordering_customers = customers - customers / 3;
  const int64_t parts = ctx.counts.parts;
  const int64_t suppliers = ctx.counts.suppliers;
  constexpr int kLastOrderDay = kEndDay - 151;

  Line lines[7];
  for (int64_t row = begin; row < end; ++row) {
    const int64_t orderkey = OrderKeyOfIndex(row);
    RowRandom date_rng(oseed[kODate], row);
    const int order_day = static_cast<int>(date_rng.Uniform(0, kLastOrderDay));
    RowRandom count_rng(oseed[kOLines], row);
    const int line_count = static_cast<int>(count_rng.Uniform(1, 7));

    RowRandom part_rng(lseed[kLPart], row), supp_rng(lseed[kLSupp], row),
        qty_rng(lseed[kLQuantity], row), disc_rng(lseed[kLDiscount], row),
        tax_rng(lseed[kLTax], row), ship_rng(lseed[kLShip], row), commit_rng(lseed[kLCommit], row),
        receipt_rng(lseed[kLReceipt], row), return_rng(lseed[kLReturn], row);
    __int128 total = 0;  // in 1/10000 of a cent
    int shipped = 0;
    for (int j = 0; j < line_count; ++j) {
      Line& l = lines[j];
      l.partkey = part_rng.Uniform(1, parts);
      l.suppkey = PartSupplierKey(l.partkey, supp_rng.Uniform(0, kPartsuppPerPart - 1), suppliers);
      l.quantity = qty_rng.Uniform(1, 50);
      l.extended_cents = l.quantity * RetailPriceCents(l.partkey);
      l.discount = disc_rng.Uniform(0, 10);
      l.tax = tax_rng.Uniform(0, 8);
      l.ship_day = order_day + static_cast<int>(ship_rng.Uniform(1, 121));
      l.commit_day = order_day + static_cast<int>(commit_rng.Uniform(30, 90));
      l.receipt_day = l.ship_day + static_cast<int>(receipt_rng.Uniform(1, 30));
      const bool returnable = l.receipt_day <= kCurrentDay;
      const bool flag_r = return_rng.Uniform(0, 1) == 0;
      l.return_flag = returnable ? (flag_r ? 'R' : 'A') : 'N';
      l.line_status = l.ship_day > kCurrentDay ? 'O' : 'F';
      shipped += l.line_status == 'F';
      total += static_cast<__int128>(l.extended_cents) * (100 + l.tax) * (100 - l.discount);
    }

    if (orders != nullptr) {
      RowBuffer& out = *orders;
      out.BeginRow();
      out.Int(orderkey);
      RowRandom cust(oseed[kOCust], row);
      out.Int(OrderingCustomer(cust.Uniform(0, ordering_customers - 1)));
      out.Char(shipped == line_count ? 'F' : (shipped == 0 ? 'O' : 'P'));
      out.Cents(static_cast<int64_t>((total + 5000) / 10000));
      out.Date(order_day);
      RowRandom priority(oseed[kOPriority], row);
      out.Text(priorities[priority.Uniform(0, static_cast<int64_t>(priorities.size()) - 1)]);
      RowRandom clerk(oseed[kOClerk], row);
      out.Padded9("Clerk#", clerk.Uniform(1, ctx.counts.clerks));
      out.Int(0);
      RowRandom comment(oseed[kOComment], row);
      out.Text(ctx.pool->Substring(comment, 19, 78));
      out.EndRow();
    }
    if (lineitem != nullptr) {
      RowRandom instruct_rng(lseed[kLInstruct], row), mode_rng(lseed[kLMode], row),
          comment_rng(lseed[kLComment], row);
      RowBuffer& out = *lineitem;
      for (int j = 0; j < line_count; ++j) {
        const Line& l = lines[j];
        out.BeginRow();
        out.Int(orderkey);
        out.Int(l.partkey);
        out.Int(l.suppkey);
        out.Int(j + 1);
        out.Int(l.quantity);
        out.Cents(l.extended_cents);
        out.Cents(l.discount);
        out.Cents(l.tax);
        out.Char(l.return_flag);
        out.Char(l.line_status);
        out.Date(l.ship_day);
        out.Date(l.commit_day);
        out.Date(l.receipt_day);
        out.Text(instructions[instruct_rng.Uniform(0, static_cast<int64_t>(instructions.size()) - 1)]);
        out.Text(modes[mode_rng.Uniform(0, static_cast<int64_t>(modes.size()) - 1)]);
        out.Text(ctx.pool->Substring(comment_rng, 10, 43));
        out.EndRow();
      }
    }
  }
}

}  // namespace strata::dbgen

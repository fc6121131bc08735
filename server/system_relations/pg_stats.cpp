// pg_stats: PostgreSQL's view over ANALYZE's statistics, one row per analyzed column of every
// user table. n_distinct < 0 is minus the fraction of the rows that are distinct, used when the
// distinct values grow with the table. Like Redshift's system tables, pg_class does not list it.
#include <cstdio>

#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

// PostgreSQL's array text: {a,b}, elements quoted when they hold a delimiter, quote, backslash,
// space, or are empty or the word NULL.
std::string ArrayText(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ",";
    const std::string& e = elements[i];
    bool quote = e.empty() || e == "NULL" || e.find_first_of(",{}\"\\ \t\n") != std::string::npos;
    if (!quote) {
      out += e;
      continue;
    }
    out += '"';
    for (char c : e) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& t : ctx.cat.tables()) {
    for (const auto& c : t.columns()) {
      if (t.is_view() || !c.has_stats()) continue;
      const catalog::ColumnStats& st = c.stats();
      rb.Str(0, t.schema());
      rb.Str(1, t.name());
      rb.Str(2, c.name());
      rb.Real(3, st.null_frac());
      double rows = static_cast<double>(st.rows());
      rb.Real(4, rows > 0 && st.n_distinct() > 0.1 * rows ? -st.n_distinct() / rows : st.n_distinct());
      std::vector<std::string> vals(st.most_common_text().begin(), st.most_common_text().end()), freqs;
      for (double f : st.most_common_freqs()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", f);
        freqs.push_back(buf);
      }
      rb.Str(5, ArrayText(vals), vals.empty());
      rb.Str(6, ArrayText(freqs), freqs.empty());
      rb.EndRow();
    }
  }
}

const SystemRelationRegistrar kPgStats("pg_stats", kNotInPgClass,
                                       {{"schemaname", SqlType::Varchar(128)},
                                        {"tablename", SqlType::Varchar(128)},
                                        {"attname", SqlType::Varchar(128)},
                                        {"null_frac", SqlType::Float32()},
                                        {"n_distinct", SqlType::Float32()},
                                        {"most_common_vals", SqlType::Varchar(65535)},
                                        {"most_common_freqs", SqlType::Varchar(65535)}},
                                       Rows);

}  // namespace
}  // namespace strata

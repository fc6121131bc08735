// See external_crawler.h.
#include "server/external_crawler.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "formats/avro_reader.h"
#include "formats/orc_reader.h"
#include "formats/parquet_reader.h"
#include "io/compressed_source.h"
#include "io/hive_partitions.h"
#include "server/external_tables.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {
namespace {

constexpr size_t kSampleBytes = 1 << 20;  // text and JSON: the first MB of the first files
constexpr int kSampleFiles = 3;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string CleanName(const std::string& raw) {
  std::string s = Lower(raw);
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "_" + s;
  return s;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && Lower(s.substr(s.size() - suffix.size())) == suffix;
}

// The file's name without compression suffixes.
std::string BaseName(const std::string& url) {
  std::string name = url.substr(url.rfind('/') + 1);
  for (const char* z : {".gz", ".bz2", ".zst", ".snappy"}) {
    if (EndsWith(name, z)) name = name.substr(0, name.size() - std::string(z).size());
  }
  return name;
}

std::string FormatOfFile(const std::string& url) {
  std::string name = Lower(BaseName(url));
  if (EndsWith(name, ".parquet") || EndsWith(name, ".parq")) return "parquet";
  if (EndsWith(name, ".orc")) return "orc";
  if (EndsWith(name, ".avro")) return "avro";
  if (EndsWith(name, ".json") || EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson")) return "json";
  return "text";
}

// The first bytes of a file, decompressed when its name says so.
std::string Sample(const ObjectInfo& o, const ObjectStoreConfig& cfg) {
  auto store = OpenObjectStore(o.url, cfg);
  std::unique_ptr<ByteSource> src = store->OpenRead(o.url);
  if (EndsWith(o.url, ".gz")) src = OpenDecompressed(std::move(src), Compression::kGzip);
  else if (EndsWith(o.url, ".bz2")) src = OpenDecompressed(std::move(src), Compression::kBzip2);
  else if (EndsWith(o.url, ".zst")) src = OpenDecompressed(std::move(src), Compression::kZstd);
  std::string out(kSampleBytes, '\0');
  size_t got = 0;
  while (got < out.size()) {
    size_t n = src->ReadAt(static_cast<int64_t>(got), out.data() + got, out.size() - got);
    if (n == 0) break;
    got += n;
  }
  out.resize(got);
  // Only whole lines.
  if (got == kSampleBytes) out.resize(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  return out;
}

// Type widening over sampled text values.
enum class Guess { kNone, kInt, kBigint, kDouble, kBool, kDate, kTimestamp, kString };

Guess GuessValue(const std::string& v) {
  if (v.empty()) return Guess::kNone;
  auto as = [&](const SqlType& t) {
    Vector x(t, 1);
    try {
      ParseValueText(v, &x, 0);
      return true;
    } catch (const SqlError&) {
      return false;
    }
  };
  bool digits = std::all_of(v.begin() + (v[0] == '-' ? 1 : 0), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (digits && v.size() > (v[0] == '-' ? 1u : 0u)) return as(SqlType::Int32()) ? Guess::kInt : as(SqlType::Int64()) ? Guess::kBigint : Guess::kString;
  std::string l = Lower(v);
  if (l == "true" || l == "false") return Guess::kBool;
  if (v.size() == 10 && v[4] == '-' && v[7] == '-' && as(SqlType::Date())) return Guess::kDate;
  if (v.size() >= 19 && v[4] == '-' && v[10] == ' ' && as(SqlType::Timestamp())) return Guess::kTimestamp;
  if (std::isdigit(static_cast<unsigned char>(v.back())) && as(SqlType::Float64())) return Guess::kDouble;
  return Guess::kString;
}

Guess Widen(Guess a, Guess b) {
  if (a == Guess::kNone) return b;
  if (b == Guess::kNone || a == b) return a;
  auto numeric = [](Guess g) { return g == Guess::kInt || g == Guess::kBigint || g == Guess::kDouble; };
  if (numeric(a) && numeric(b)) return std::max(a, b);
  if ((a == Guess::kDate && b == Guess::kTimestamp) || (a == Guess::kTimestamp && b == Guess::kDate)) return Guess::kTimestamp;
  return Guess::kString;
}

SqlType TypeOf(Guess g) {
  switch (g) {
    case Guess::kInt: return SqlType::Int32();
    case Guess::kBigint: return SqlType::Int64();
    case Guess::kDouble: return SqlType::Float64();
    case Guess::kBool: return SqlType::Bool();
    case Guess::kDate: return SqlType::Date();
    case Guess::kTimestamp: return SqlType::Timestamp();
    default: return SqlType::Varchar(65535);
  }
}

std::vector<std::string> Lines(const std::string& text, size_t limit) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size() && lines.size() < limit) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return lines;
}

// Splits a line at `d`, honouring double quotes when `quoted`.
std::vector<std::string> Fields(const std::string& line, char d, bool quoted) {
  std::vector<std::string> out(1);
  bool in = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"') {
      if (in && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else {
        in = !in;
      }
    } else if (c == d && !in) {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

// Delimited text: the delimiter that splits every sampled line into the same number (> 1) of
// fields; the header when the first line's fields are all non-numeric names while a later line
// has a number or date in some column.
void InferDelimited(const std::vector<std::string>& samples, CrawledTable* t) {
  std::vector<std::string> lines;
  std::vector<size_t> file_starts;  // where each sampled file's lines begin
  for (const auto& s : samples) {
    std::vector<std::string> own = Lines(s, 1000);
    if (own.empty()) continue;
    file_starts.push_back(lines.size());
    for (auto& l : own) lines.push_back(std::move(l));
  }
  if (lines.empty()) throw SqlError(sqlstate::kUndefinedFile, StrCat("the crawler found only empty files under ", t->location));
  char best = 0;
  size_t best_fields = 0;
  for (char d : {'\t', '|', ',', ';', '\x01'}) {
    size_t n = Fields(lines[0], d, d == ',').size();
    if (n < 2) continue;
    bool same = std::all_of(lines.begin(), lines.end(), [&](const std::string& l) { return Fields(l, d, d == ',').size() == n; });
    if (same && n > best_fields) {
      best = d;
      best_fields = n;
    }
  }
  if (best == 0) {
    best = ',';
    best_fields = 1;
  }
  t->delimiter = std::string(1, best);
  t->format = best == ',' ? "csv" : "text";
  const bool quoted = best == ',';
  std::vector<std::string> first = Fields(lines[0], best, quoted);
  std::vector<Guess> guesses(best_fields, Guess::kNone);
  // Every sampled file opening with the same line is a header's sign; those lines are left out
  // of the types.
  bool same_first = file_starts.size() > 1 &&
                    std::all_of(file_starts.begin(), file_starts.end(), [&](size_t i) { return lines[i] == lines[0]; });
  auto is_first = [&](size_t r) { return std::find(file_starts.begin(), file_starts.end(), r) != file_starts.end(); };
  for (size_t r = 1; r < lines.size(); ++r) {
    if (same_first && is_first(r)) continue;
    std::vector<std::string> f = Fields(lines[r], best, quoted);
    for (size_t c = 0; c < guesses.size() && c < f.size(); ++c) guesses[c] = Widen(guesses[c], GuessValue(f[c]));
  }
  bool names = true, typed_below = false;
  for (size_t c = 0; c < first.size(); ++c) {
    Guess g = GuessValue(first[c]);
    names = names && (g == Guess::kString || g == Guess::kBool) && !first[c].empty();
    typed_below = typed_below || (guesses[c] != Guess::kString && guesses[c] != Guess::kNone);
  }
  // All-string files: a header is a first line whose values never occur again in their column.
  if (names && !typed_below && lines.size() > 1) {
    bool repeats = false;
    for (size_t r = 1; r < lines.size() && !repeats; ++r) {
      if (is_first(r)) continue;
      std::vector<std::string> f = Fields(lines[r], best, quoted);
      for (size_t c = 0; c < f.size() && c < first.size(); ++c) repeats = repeats || f[c] == first[c];
    }
    typed_below = !repeats && lines.size() > 2;
  }
  t->header = names && (typed_below || same_first);
  if (!t->header) {
    for (size_t c = 0; c < guesses.size() && c < first.size(); ++c) guesses[c] = Widen(guesses[c], GuessValue(first[c]));
  }
  std::set<std::string> seen;
  for (size_t c = 0; c < guesses.size(); ++c) {
    std::string name = t->header && c < first.size() ? CleanName(first[c]) : StrCat("col", c);
    while (!seen.insert(name).second) name += "_";
    t->columns.emplace_back(name, TypeOf(guesses[c]));
  }
}

// JSON lines: the union of the sampled objects' keys, in first-seen order, each typed by
// widening its values (nested objects and arrays are kept as their JSON text: varchar).
void InferJson(const std::vector<std::string>& samples, CrawledTable* t) {
  std::vector<std::string> order;
  std::map<std::string, Guess> guesses;
  simdjson::dom::parser parser;
  for (const auto& s : samples) {
    for (const auto& line : Lines(s, 1000)) {
      simdjson::dom::element doc;
      if (parser.parse(line).get(doc) != simdjson::SUCCESS || !doc.is_object()) continue;
      for (auto [key, value] : simdjson::dom::object(doc)) {
        std::string k = CleanName(std::string(key));
        if (!guesses.count(k)) {
          order.push_back(k);
          guesses[k] = Guess::kNone;
        }
        Guess g = Guess::kString;
        switch (value.type()) {
          case simdjson::dom::element_type::INT64:
          case simdjson::dom::element_type::UINT64: {
            int64_t i = 0;
            g = value.get_int64().get(i) == simdjson::SUCCESS && i >= INT32_MIN && i <= INT32_MAX ? Guess::kInt : Guess::kBigint;
            break;
          }
          case simdjson::dom::element_type::DOUBLE: g = Guess::kDouble; break;
          case simdjson::dom::element_type::BOOL: g = Guess::kBool; break;
          case simdjson::dom::element_type::NULL_VALUE: g = Guess::kNone; break;
          case simdjson::dom::element_type::STRING: {
            std::string_view sv;
            if (value.get_string().get(sv) != simdjson::SUCCESS) sv = {};
            Guess d = GuessValue(std::string(sv));
            g = d == Guess::kDate || d == Guess::kTimestamp ? d : Guess::kString;
            break;
          }
          default: g = Guess::kString;
        }
        guesses[k] = Widen(guesses[k], g);
      }
    }
  }
  if (order.empty()) throw SqlError(sqlstate::kUndefinedFile, StrCat("the crawler found no JSON objects under ", t->location));
  for (const auto& k : order) t->columns.emplace_back(k, TypeOf(guesses[k]));
}

SqlType ParquetType(const ParquetColumn& c) {
  using parquet::LogicalKind;
  using parquet::PhysType;
  const parquet::LogicalType& l = c.logical;
  if (l.kind == LogicalKind::kDecimal) return SqlType::Decimal(std::min(l.precision, kMaxDecimalPrecision), l.scale);
  if (l.kind == LogicalKind::kDate) return SqlType::Date();
  if (l.kind == LogicalKind::kTimestamp || c.physical == PhysType::kInt96) return SqlType::Timestamp();
  switch (c.physical) {
    case PhysType::kBoolean: return SqlType::Bool();
    case PhysType::kInt32:
      if (l.kind == LogicalKind::kInteger && l.bit_width <= 16) return SqlType::Int16();
      if (l.kind == LogicalKind::kInteger && !l.is_signed) return SqlType::Int64();
      return SqlType::Int32();
    case PhysType::kInt64: return SqlType::Int64();
    case PhysType::kFloat: return SqlType::Float32();
    case PhysType::kDouble: return SqlType::Float64();
    default: return SqlType::Varchar(65535);
  }
}

void InferAvro(const ObjectInfo& o, const ObjectStoreConfig& cfg, CrawledTable* t) {
  auto store = OpenObjectStore(o.url, cfg);
  auto src = store->OpenRead(o.url);
  // The schema is in the header: its first 1 MB is plenty.
  std::string head(static_cast<size_t>(std::min<int64_t>(o.size, 1 << 20)), '\0');
  head.resize(src->ReadAt(0, head.data(), head.size()));
  AvroReader reader(std::move(head), o.url);
  for (const auto& c : reader.columns()) {
    if (c.nested) continue;
    t->columns.emplace_back(CleanName(c.name), AvroReader::DefaultType(c));
  }
}

void InferOrc(const ObjectInfo& o, const ObjectStoreConfig& cfg, CrawledTable* t) {
  auto store = OpenObjectStore(o.url, cfg);
  auto src = store->OpenRead(o.url);
  OrcReader reader(src.get());
  for (const auto& c : reader.columns()) {
    if (c.nested) continue;
    t->columns.emplace_back(CleanName(c.name), OrcReader::DefaultType(c.type));
  }
}

void InferParquet(const ObjectInfo& o, const ObjectStoreConfig& cfg, CrawledTable* t) {
  auto store = OpenObjectStore(o.url, cfg);
  auto src = store->OpenRead(o.url);
  ParquetReader reader(src.get());
  for (const auto& c : reader.columns()) {
    if (c.nested) continue;  // nested columns are not read yet
    t->columns.emplace_back(CleanName(c.name), ParquetType(c));
  }
}

}  // namespace

std::vector<CrawledTable> CrawlLocation(const std::string& location, const std::string& only_table, const ObjectStoreConfig& cfg) {
  std::string root = WithTrailingSlash(location);
  std::vector<ObjectInfo> files = ListDataFiles(root, cfg);
  if (files.empty()) throw SqlError(sqlstate::kUndefinedFile, StrCat("the crawler found no files under \"", location, "\""));
  // Files by table folder.
  std::map<std::string, std::vector<ObjectInfo>> by_table;
  std::string root_name = root.substr(0, root.size() - 1);
  root_name = root_name.substr(root_name.rfind('/') + 1);
  for (auto& o : files) {
    std::string rel = o.url.substr(root.size());
    size_t slash = rel.find('/');
    std::string first = slash == std::string::npos ? "" : rel.substr(0, slash);
    bool own_table = !only_table.empty() || first.empty() || first.find('=') != std::string::npos;
    by_table[own_table ? "" : first].push_back(std::move(o));
  }
  std::vector<CrawledTable> out;
  for (auto& [folder, objects] : by_table) {
    CrawledTable t;
    t.name = !only_table.empty() ? only_table : CleanName(folder.empty() ? root_name : folder);
    t.location = folder.empty() ? root : root + folder + "/";
    t.files = static_cast<int64_t>(objects.size());
    // Partition folders: the k=v prefix shared by the files (the first file's keys).
    std::string rel0 = objects[0].url.substr(t.location.size());
    std::vector<std::string> keys;
    for (const auto& [k, v] : HiveFolders(rel0)) keys.push_back(k);
    std::map<std::vector<std::string>, std::string> parts;
    for (const auto& o : keys.empty() ? std::vector<ObjectInfo>{} : objects) {
      std::string rel = o.url.substr(t.location.size());
      auto values = HivePartitionValues(rel, keys);
      if (!values) {
        keys.clear();  // files outside the k=v layout: not partitioned
        parts.clear();
        break;
      }
      size_t end = 0;
      for (size_t i = 0; i < keys.size(); ++i) end = rel.find('/', end) + 1;
      parts.emplace(*values, t.location + rel.substr(0, end));
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      bool ints = std::all_of(parts.begin(), parts.end(), [&](const auto& p) {
        const std::string& v = p.first[i];
        return !v.empty() && v.size() < 10 && std::all_of(v.begin() + (v[0] == '-' ? 1 : 0), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      });
      t.partition_keys.emplace_back(CleanName(keys[i]), ints ? SqlType::Int32() : SqlType::Varchar(256));
    }
    for (const auto& [values, loc] : parts) t.partitions.push_back({values, loc});
    // Columns, from the format of the first file (the others are expected to agree).
    t.format = FormatOfFile(objects[0].url);
    if (t.format == "parquet") {
      InferParquet(objects[0], cfg, &t);
      // A column only some files have (a schema that grew) is added too: the footers of the
      // first and the last ten files (new data comes last in Hive's name order) are read.
      for (size_t i = 1; i < objects.size(); ++i) {
        if (i >= 10 && i + 10 < objects.size()) continue;
        CrawledTable more;
        InferParquet(objects[i], cfg, &more);
        for (auto& c : more.columns) {
          bool known = std::any_of(t.columns.begin(), t.columns.end(), [&](const auto& x) { return x.first == c.first; });
          if (!known) t.columns.push_back(c);
        }
      }
    } else if (t.format == "orc") {
      InferOrc(objects[0], cfg, &t);
    } else if (t.format == "avro") {
      InferAvro(objects[0], cfg, &t);
    } else {
      std::vector<std::string> samples;
      for (int i = 0; i < static_cast<int>(objects.size()) && i < kSampleFiles; ++i) samples.push_back(Sample(objects[i], cfg));
      if (t.format == "json") InferJson(samples, &t);
      else InferDelimited(samples, &t);
    }
    // Partition keys win over a file column of the same name (Hive drops those from the files).
    std::erase_if(t.columns, [&](const auto& c) {
      return std::any_of(t.partition_keys.begin(), t.partition_keys.end(), [&](const auto& k) { return k.first == c.first; });
    });
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace strata

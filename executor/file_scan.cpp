#include "executor/file_scan.h"

#include "planner/expr_builder.h"
#include "storage/delimited_reader.h"

namespace strata {

OperatorPtr MakeFileScan(const plan::FileScan& spec, const ExecContext& ctx) {
  auto it = spec.range_by_slice().find(ctx.slice);
  if (it == spec.range_by_slice().end()) return std::make_unique<EmptyOperator>();
  std::vector<SqlType> types;
  for (const auto& t : spec.types()) types.push_back(FromProtoType(t));
  DelimitedOptions o;
  if (!spec.delimiter().empty()) o.delimiter = spec.delimiter()[0];
  o.null_as = spec.null_as();
  o.csv = spec.csv();
  if (!spec.quote().empty()) o.quote = spec.quote()[0];
  o.ignore_header = spec.ignore_header();
  o.empty_as_null = spec.empty_as_null();
  o.blanks_as_null = spec.blanks_as_null();
  o.trim_blanks = spec.trim_blanks();
  auto reader = std::make_unique<DelimitedReader>(spec.path(), it->second.begin(), it->second.end(), types, o);
  return std::make_unique<ReaderOperator<DelimitedReader>>(std::move(reader), ctx);
}

}  // namespace strata

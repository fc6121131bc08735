// ALTER TABLE APPEND on one slice: the target's new version is its current version with the
// source's rows after it, made of the source's own blocks (blocks are content-addressed and
// immutable, and a block's place in its chain lives in the manifest, so moving rows is writing
// a manifest): each target column takes the chain of the like-named source column, its blocks'
// first_row shifted past the target's rows; a column the source lacks (FILLTARGET) gets new
// blocks of its DEFAULT (or NULL). The source's delete vector moves along, shifted the same way.
// The appended rows join the unsorted tail, unless the target had no rows.
#pragma once

#include <memory>
#include <vector>

#include "planner/plan.pb.h"
#include "sql/types.h"
#include "storage/block_store.h"
#include "storage/storage.pb.h"

namespace strata {

struct AppendLayout {
  int64_t table_id = 0;                // the target's
  std::vector<SqlType> types;          // the target's column types
  std::vector<int> encodings;          // the target's column encodings (for new blocks)
  std::vector<int> source_columns;     // per target column: the source's column, or -1
  std::vector<plan::Expr> fill;        // per target column where source_columns is -1: the value
  bool sorted = false;                 // the target has a sort key
};

// `target` may be null (no rows of the target on this slice).
storage::SliceManifest AppendSlice(BlockStore* blocks, const AppendLayout& layout, int slice,
                                   const storage::SliceManifest* target, const storage::SliceManifest& source);

}  // namespace strata

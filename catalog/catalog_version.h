// One version of the catalog as readers see it: a committed version, or a transaction's view of
// one with its own edits on top. Tables are shared between versions, copy-on-write per table: a
// commit that changes one table of ten thousand makes one new table and a new array of pointers,
// and a transaction's edit copies only the tables it writes (an overlay on the version it
// started from). Everything that is not a table — users, schemas, functions, counters — is one
// small message (`meta()`, a catalog::Catalog whose `tables` is always empty).
//
// Lookups by id and by name are binary searches, not scans. `tables()` iterates in id order,
// which is creation order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.pb.h"

namespace strata {

class CatalogVersion;
using CatalogPtr = std::shared_ptr<const CatalogVersion>;
using TablePtr = std::shared_ptr<const catalog::Table>;

class CatalogVersion {
 public:
  // An empty catalog.
  CatalogVersion();
  // The version holding what the whole-catalog message `whole` holds (catalogs written by
  // earlier versions of Strata, and tests).
  static CatalogPtr FromProto(const catalog::Catalog& whole);
  // The whole catalog as one message (the inverse of FromProto).
  catalog::Catalog ToProto() const;

  // Everything but the tables.
  const catalog::Catalog& meta() const { return *meta_; }
  int64_t next_table_id() const { return meta_->next_table_id(); }
  int64_t commit_seq() const { return meta_->commit_seq(); }
  int32_t compute_nodes() const { return meta_->compute_nodes(); }
  int32_t slices_per_node() const { return meta_->slices_per_node(); }
  int64_t next_user_id() const { return meta_->next_user_id(); }
  int64_t next_function_oid() const { return meta_->next_function_oid(); }
  const google::protobuf::RepeatedPtrField<catalog::User>& users() const { return meta_->users(); }
  const google::protobuf::RepeatedPtrField<catalog::Schema>& schemas() const { return meta_->schemas(); }
  const google::protobuf::RepeatedPtrField<catalog::Function>& functions() const { return meta_->functions(); }
  int users_size() const { return meta_->users_size(); }
  int schemas_size() const { return meta_->schemas_size(); }
  int functions_size() const { return meta_->functions_size(); }

  // The tables and views, in id order.
  class TableRange {
   public:
    class Iterator {
     public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = catalog::Table;
      using difference_type = std::ptrdiff_t;
      using pointer = const catalog::Table*;
      using reference = const catalog::Table&;
      explicit Iterator(const catalog::Table* const* at) : at_(at) {}
      const catalog::Table& operator*() const { return **at_; }
      const catalog::Table* operator->() const { return *at_; }
      Iterator& operator++() { ++at_; return *this; }
      bool operator==(const Iterator& o) const { return at_ == o.at_; }
      bool operator!=(const Iterator& o) const { return at_ != o.at_; }
     private:
      const catalog::Table* const* at_;
    };
    TableRange(const catalog::Table* const* begin, const catalog::Table* const* end) : begin_(begin), end_(end) {}
    Iterator begin() const { return Iterator(begin_); }
    Iterator end() const { return Iterator(end_); }
    size_t size() const { return end_ - begin_; }
    bool empty() const { return begin_ == end_; }
   private:
    const catalog::Table* const* begin_;
    const catalog::Table* const* end_;
  };
  TableRange tables() const;
  size_t tables_size() const { return tables().size(); }

  const catalog::Table* TableById(int64_t id) const;
  // The table `name` in `schema`; with an empty schema, the oldest table of that name.
  const catalog::Table* TableByName(const std::string& schema, const std::string& name) const;
  // Whether any table or view is in `schema`; and every schema that holds one.
  bool HasTablesIn(const std::string& schema) const;
  std::vector<std::string> SchemasWithTables() const;
  // The committed (shared, immutable) table `id` of a version with no edits of its own.
  TablePtr SharedTable(int64_t id) const;

 private:
  friend class CatalogTransaction;
  friend class CatalogStore;

  // The tables of a committed version, immutable once built and shared by the versions and
  // transactions that start from it.
  struct TableIndex {
    std::vector<TablePtr> by_id;                 // sorted by id
    std::vector<const catalog::Table*> raw;      // the same, as plain pointers (for TableRange)
    std::vector<const catalog::Table*> by_name;  // sorted by (name, id)
    std::map<std::string, int64_t> per_schema;   // how many tables each schema holds
  };
  static std::shared_ptr<const TableIndex> BuildIndex(std::vector<TablePtr> by_id);
  // The index of `base` with `replaced` (new or changed tables, by id) put in and `removed` ids
  // taken out; O(tables) pointer moves, no table is copied.
  static std::shared_ptr<const TableIndex> PatchIndex(const TableIndex& base, const std::map<int64_t, TablePtr>& replaced,
                                                      const std::vector<int64_t>& removed);
  const catalog::Table* BaseById(int64_t id) const;

  std::shared_ptr<const catalog::Catalog> meta_;
  std::shared_ptr<const TableIndex> index_;
  // A transaction's edits on top of index_ (empty in a committed version): its private copies
  // of the tables it created or wrote, nullptr for the ones it dropped.
  std::map<int64_t, std::shared_ptr<catalog::Table>> overlay_;
  // tables() of a version with an overlay: index_ merged with it, rebuilt whenever the overlay's
  // set of ids changes (RemergeOverlay).
  std::vector<const catalog::Table*> merged_;
  void RemergeOverlay();
};

}  // namespace strata

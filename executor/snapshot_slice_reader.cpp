// Reading one slice manifest of a snapshot store as rows (snapshot_slice_reader.h).
#include "executor/snapshot_slice_reader.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "io/local_path_policy.h"
#include "sql/error.h"
#include "storage/block_store.h"
#include "storage/object_layout.h"
#include "storage/slice_reader.h"

namespace strata {
namespace {

class SnapshotSliceReader : public RecordReader {
 public:
  SnapshotSliceReader(const std::string& manifest_url, const std::vector<SqlType>& types, const ObjectStoreConfig& config,
                      const std::string& table, const std::vector<std::string>& column_names)
      : blocks_("") {
    size_t at = manifest_url.rfind("manifests/");
    if (at == std::string::npos) STRATA_INTERNAL_ERROR("not a manifest URL: ", manifest_url);
    location_ = manifest_url.substr(0, at);
    std::string id = manifest_url.substr(at + 10);
    if (!IsContentId(id)) {
      throw SqlError(sqlstate::kInvalidParameterValue, StrCat("malformed manifest URL \"", manifest_url, "\""));
    }
    store_ = OpenObjectStore(location_, config);
    ObjectStore* store = store_.get();
    std::string location = location_;
    // Tests slow a restore down to stop it in the middle.
    const char* delay_env = std::getenv("STRATA_FAULT_RESTORE_DELAY_MS");
    const int delay_ms = delay_env != nullptr ? std::atoi(delay_env) : 0;
    blocks_.SetRemote([store, location, delay_ms](const std::string& block) {
      if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      return FetchVerified(*store, StoredBlockUrl(location, block), block, "block " + block);
    }, /*keep=*/false);
    auto manifest = FetchManifest(*store_, location_, id);
    if (manifest->columns_size() != static_cast<int>(types.size())) {
      throw SqlError(sqlstate::kDataCorrupted,
                     StrCat("manifest ", id, " has ", manifest->columns_size(), " columns; the table has ", types.size()));
    }
    std::vector<int> columns;
    for (size_t i = 0; i < types.size(); ++i) columns.push_back(static_cast<int>(i));
    reader_ = std::make_unique<SliceReader>(&blocks_, manifest, columns, types, std::vector<ZonePredicate>{});
    reader_->set_names(table, column_names);
  }

  bool Next(Batch* out) override {
    TrustedLocalAccess trusted;  // the snapshot location is the operator's, not a statement's
    return reader_->Next(out);
  }

 private:
  std::string location_;
  std::unique_ptr<ObjectStore> store_;
  BlockStore blocks_;
  std::unique_ptr<SliceReader> reader_;
};

}  // namespace

std::unique_ptr<RecordReader> OpenSnapshotSliceReader(const std::string& manifest_url, const std::vector<SqlType>& types,
                                                      const ObjectStoreConfig& config, const std::string& table,
                                                      const std::vector<std::string>& columns) {
  TrustedLocalAccess trusted;
  return std::make_unique<SnapshotSliceReader>(manifest_url, types, config, table, columns);
}

}  // namespace strata

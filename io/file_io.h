// The durable-write path (WriteFileDurably, or TempPathFor + PublishDurably) of the block,
// manifest and catalog stores, a compute node's node_id file and local files written through the
// object store: the bytes go to a uniquely named temporary file in the same directory, which is
// fsynced and renamed over the target, and then the directory itself is fsynced so that the
// rename survives a crash; the cluster secret takes the same path, linking instead of renaming
// so that it never replaces a secret another process created meanwhile. Every failure is a
// SqlError 58030 (io_error) naming the path and strerror, a failed directory fsync included.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

#include <string>
#include <string_view>

namespace strata {

struct DurableWriteOptions {
  mode_t mode = 0644;    // the new file's permissions (before the umask)
  bool replace = true;   // false: an existing file at the path is kept (the write returns false)
  // false: the folder is not fsynced; the caller writing many files into one folder fsyncs it
  // once (FsyncDirectory) before it relies on them.
  bool sync_folder = true;
};

// Writes `bytes` to `path` atomically and durably (temp file + fsync + rename, or link when
// not replacing, + fsync(dir)). The parent directory must exist. Returns false only when
// `replace` is off and `path` already existed.
bool WriteFileDurably(const std::string& path, std::string_view bytes, DurableWriteOptions options = {});

// The steps of WriteFileDurably for a writer that streams its bytes into the temporary file.
// A temporary name beside `path` that no other writer uses (RemoveStaleTempFiles recognises it).
std::string TempPathFor(const std::string& path);
// Renames the finished, fsynced `tmp` over `path` and fsyncs the folder; `tmp` is removed if
// the rename fails.
void PublishDurably(const std::string& tmp, const std::string& path);
// fsync of a folder, so that the entries just renamed, linked or created in it survive a crash.
void FsyncDirectory(const std::string& dir);
// The folder part of a path ("." when there is none).
std::string ParentOf(const std::string& path);

// Reads the whole file.
std::string ReadFileBytes(const std::string& path);

bool PathExists(const std::string& path);

// Reads exactly `n` bytes at `offset` of the open file `fd` (retrying short reads and EINTR);
// false at end of file or on an error.
bool ReadExactlyAt(int fd, int64_t offset, char* out, size_t n);
// Writes all `n` bytes at `offset` (retrying short writes and EINTR); 0, or the errno of the
// failure (ENOSPC for a write that wrote nothing).
int WriteAllAt(int fd, int64_t offset, const char* data, size_t n);

// Creates `path` and its missing parents (like mkdir -p), fsyncing each parent whose entries
// changed so that the new directories are durable too.
void MakeDirectories(const std::string& path);

// Removes the temporary files (`<name>.tmp.<pid>.<n>`) that a WriteFileDurably interrupted by a
// crash leaves behind under `dir` (and its subfolders when `recursive`); a later process with
// the same pid would otherwise collide with them. Only the owner of the folder may call this,
// at start-up, before it writes anything: a live writer's temporary file would go too. Returns
// how many were removed; a missing `dir` has none.
int RemoveStaleTempFiles(const std::string& dir, bool recursive);

}  // namespace strata

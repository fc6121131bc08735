// Durable file helpers for the block and manifest stores. A durable write never exposes a
// partial file: the bytes go to a uniquely named temporary file in the same directory, which is
// fsynced, renamed over the target, and then the directory itself is fsynced so that the rename
// survives a crash. Every failure is a SqlError 58030 (io_error) naming the path and strerror.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// Writes `bytes` to `path` atomically and durably (temp file + fsync + rename + fsync(dir)).
// The parent directory must exist. An existing file at `path` is replaced.
void WriteFileDurably(const std::string& path, std::string_view bytes);

// Reads the whole file.
std::string ReadFileBytes(const std::string& path);

bool PathExists(const std::string& path);

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

// "Reload the credentials file when it changed on disk", shared by every target: a file's stamp (modification time
// in ns + size; -1 when the file is missing) and a small tracker that says whether it moved since the last load.
// A file written by another process (pair, connect) is picked up on the next refresh(false); a target that writes
// its own file (token rotation) calls remember() afterwards so that its own write does not count as a change.
// Header-only, no locking: the target calls it under its own mutex.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace batchivo::sync {

struct FileStamp {
    int64_t mtime_ns = -1;  // -1: no file
    int64_t size = -1;
    bool operator==(const FileStamp&) const = default;

    static FileStamp of(const std::string& path) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return {};
        return {static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                static_cast<int64_t>(st.st_size)};
    }
};

class FileWatch {
public:
    explicit FileWatch(std::string path) : path_(std::move(path)) {}
    const std::string& path() const { return path_; }
    // True when a (re)load is due: `force`, never loaded, or the file's stamp moved. Records the stamp seen, so the
    // caller loads the file now.
    bool due(bool force) {
        const FileStamp now = FileStamp::of(path_);
        if (!force && loaded_ && now == stamp_) return false;
        stamp_ = now;
        loaded_ = true;
        return true;
    }
    // After the owner wrote the file itself: the current stamp is not a change.
    void remember() { stamp_ = FileStamp::of(path_); }

private:
    std::string path_;
    FileStamp stamp_;
    bool loaded_ = false;
};

}  // namespace batchivo::sync

// The Batchivo target's replay guard: Batchivo's only weight update is an absolute PUT with no idempotency key and
// no free field to carry a marker, so the station remembers, durably and BEFORE each PUT, what it is about to do:
// record id, spool, the weight read just before (and the spool's updated_at then) and the weight it writes. When
// the engine resends a record (its answer was lost), the target reads the spool again and compares:
//   weight == the weight it wrote              -> the PUT was applied: Duplicate, nothing written
//   weight and updated_at as read before       -> the PUT never arrived: write the same absolute weight again
//   anything else                              -> someone else changed the spool meanwhile: Rejected (shown)
// One JSON object per line (append + fsync); compacted to the newest kKeep entries. Thread-safe; another instance
// writing the same file (the connect command's trial target next to the kiosk's) is picked up on the next find().
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "sync/domain/result.hpp"
#include "sync/targets/file_stamp.hpp"

namespace batchivo::sync::batchivo_api {

struct Attempt {
    std::string record_id;
    std::string spool_uuid;
    double before_g = 0;           // current_weight read just before the PUT
    std::string before_updated_at;  // the spool's updated_at at that read
    double after_g = 0;            // the absolute current_weight the PUT writes
};

class ApplyJournal {
public:
    static constexpr size_t kKeep = 2000;  // entries kept after compaction (records, not spools)

    explicit ApplyJournal(std::string path);
    const std::string& path() const { return path_; }
    std::optional<Attempt> find(const std::string& record_id);
    // Durable when it returns (fsync). Error "io" when the file cannot be written: the caller must not PUT.
    Result<> add(const Attempt& a);
    // Forget a record's attempt (after a concurrent edit was reported, so that an operator's Retry applies afresh).
    Result<> forget(const std::string& record_id);
    size_t size();

private:
    void load_locked();
    Result<> append_locked(const std::string& line);
    Result<> compact_locked();

    std::string path_;
    std::mutex mu_;
    bool loaded_ = false;
    std::map<std::string, std::pair<uint64_t, Attempt>> by_id_;  // record id -> (insertion order, attempt)
    uint64_t next_order_ = 0;
    size_t lines_ = 0;
    FileStamp seen_;  // the file as this instance last read or wrote it
};

}  // namespace batchivo::sync::batchivo_api

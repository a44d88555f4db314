// Process-crash harness shared by the sync_crash test and bench_sync: a child records in a loop and acknowledges
// each record after record() returned; the parent SIGKILLs it at random moments and, after each kill, reopens the
// store and checks every acknowledged record is present exactly once, sequences are gap-free and
// PRAGMA integrity_check is ok.
#pragma once

#include <cstdint>
#include <string>

namespace batchivo::test {

struct CrashStats {
    int kills = 0;
    int64_t acknowledged = 0;
    int64_t lost = 0;         // acknowledged but absent after restart
    int64_t duplicates = 0;   // ids present more than once
    int64_t seq_gaps = 0;     // rounds whose sequence was not 1..N
    int64_t integrity_failures = 0;
    int64_t records = 0;      // rows in the store at the end
};

CrashStats run_crash_test(const std::string& child_binary, const std::string& db_path, int kills, uint64_t seed,
                          int max_delay_ms = 40);

}  // namespace batchivo::test

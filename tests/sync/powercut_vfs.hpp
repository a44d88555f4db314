// A fault-injecting SQLite VFS that simulates power loss. It wraps the default unix VFS: every write and
// truncate since a file's last xSync is remembered (the bytes it overwrote); cut() puts those bytes back and
// truncates each file to its size at its last sync, i.e. drops everything the OS had not been told to make
// durable, then fails all further I/O until power_on(). The shared-memory index (-shm) is RAM: the caller
// deletes it after the cut, as a reboot would.
#pragma once

#include <cstdint>

namespace batchivo::test::powercut {

inline constexpr const char* kVfsName = "powercut";

void register_vfs();  // idempotent
void cut();           // the power goes off: revert unsynced writes of every open file; further I/O fails
void power_on();      // allow I/O again (after the store was closed and the -shm file removed)

struct Stats {
    int64_t syncs = 0;
    int64_t reverted_writes = 0;
    int64_t reverted_bytes = 0;
};
Stats stats();
void reset_stats();

}  // namespace batchivo::test::powercut

#include "powercut_vfs.hpp"

#include <sqlite3.h>

#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace batchivo::test::powercut {

namespace {

struct Undo {
    sqlite3_int64 offset;
    std::string old;  // bytes that were there before (empty when the write was past the end)
};

struct PcFile {
    sqlite3_file base;      // must be first
    sqlite3_file* real;     // the unix VFS's file, allocated right after this struct
    sqlite3_int64 synced_size;
    std::vector<Undo>* undo;
};

std::mutex g_mu;
bool g_off = false;
std::set<PcFile*> g_files;
Stats g_stats;
sqlite3_vfs g_vfs;
sqlite3_vfs* g_base = nullptr;
sqlite3_io_methods g_io;

sqlite3_int64 real_size(PcFile* f) {
    sqlite3_int64 sz = 0;
    f->real->pMethods->xFileSize(f->real, &sz);
    return sz;
}

int x_close(sqlite3_file* file) {
    auto* f = reinterpret_cast<PcFile*>(file);
    {
        std::lock_guard lk(g_mu);
        g_files.erase(f);
    }
    delete f->undo;
    f->undo = nullptr;
    return f->real->pMethods->xClose(f->real);
}

int x_read(sqlite3_file* file, void* buf, int n, sqlite3_int64 off) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xRead(f->real, buf, n, off);
}

int x_write(sqlite3_file* file, const void* buf, int n, sqlite3_int64 off) {
    auto* f = reinterpret_cast<PcFile*>(file);
    std::lock_guard lk(g_mu);
    if (g_off) return SQLITE_IOERR_WRITE;
    const sqlite3_int64 size = real_size(f);
    Undo u{off, {}};
    if (off < size) {
        const sqlite3_int64 len = std::min<sqlite3_int64>(n, size - off);
        u.old.resize(static_cast<size_t>(len));
        int rc = f->real->pMethods->xRead(f->real, u.old.data(), static_cast<int>(len), off);
        if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
    }
    f->undo->push_back(std::move(u));
    return f->real->pMethods->xWrite(f->real, buf, n, off);
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
    auto* f = reinterpret_cast<PcFile*>(file);
    std::lock_guard lk(g_mu);
    if (g_off) return SQLITE_IOERR_TRUNCATE;
    const sqlite3_int64 cur = real_size(f);
    if (size < cur) {
        Undo u{size, std::string(static_cast<size_t>(cur - size), '\0')};
        int rc = f->real->pMethods->xRead(f->real, u.old.data(), static_cast<int>(cur - size), size);
        if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
        f->undo->push_back(std::move(u));
    }
    return f->real->pMethods->xTruncate(f->real, size);
}

int x_sync(sqlite3_file* file, int flags) {
    auto* f = reinterpret_cast<PcFile*>(file);
    std::lock_guard lk(g_mu);
    if (g_off) return SQLITE_IOERR_FSYNC;
    int rc = f->real->pMethods->xSync(f->real, flags);
    if (rc == SQLITE_OK) {
        f->undo->clear();
        f->synced_size = real_size(f);
        ++g_stats.syncs;
    }
    return rc;
}

int x_file_size(sqlite3_file* file, sqlite3_int64* out) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xFileSize(f->real, out);
}
int x_lock(sqlite3_file* file, int l) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xLock(f->real, l);
}
int x_unlock(sqlite3_file* file, int l) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xUnlock(f->real, l);
}
int x_check_reserved(sqlite3_file* file, int* out) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}
int x_file_control(sqlite3_file* file, int op, void* arg) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xFileControl(f->real, op, arg);
}
int x_sector_size(sqlite3_file* file) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xSectorSize(f->real);
}
int x_device_characteristics(sqlite3_file* file) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}
int x_shm_map(sqlite3_file* file, int pg, int pgsz, int extend, void volatile** pp) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}
int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* file) {
    auto* f = reinterpret_cast<PcFile*>(file);
    f->real->pMethods->xShmBarrier(f->real);
}
int x_shm_unmap(sqlite3_file* file, int del) {
    auto* f = reinterpret_cast<PcFile*>(file);
    return f->real->pMethods->xShmUnmap(f->real, del);
}

int v_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    auto* f = reinterpret_cast<PcFile*>(file);
    std::memset(f, 0, sizeof *f);
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    {
        std::lock_guard lk(g_mu);
        if (g_off) return SQLITE_IOERR;
    }
    int rc = g_base->xOpen(g_base, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || !f->real->pMethods) {
        f->base.pMethods = nullptr;
        return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
    }
    f->base.pMethods = &g_io;
    f->undo = new std::vector<Undo>();
    f->synced_size = real_size(f);  // what is on disk when opened counts as durable
    std::lock_guard lk(g_mu);
    g_files.insert(f);
    return SQLITE_OK;
}

int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    {
        std::lock_guard lk(g_mu);
        if (g_off) return SQLITE_IOERR_DELETE;
    }
    return g_base->xDelete(g_base, name, sync_dir);
}
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_base->xAccess(g_base, name, flags, out); }
int v_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_base->xFullPathname(g_base, name, n, out);
}
void* v_dlopen(sqlite3_vfs*, const char* f) { return g_base->xDlOpen(g_base, f); }
void v_dlerror(sqlite3_vfs*, int n, char* msg) { g_base->xDlError(g_base, n, msg); }
void (*v_dlsym(sqlite3_vfs*, void* h, const char* s))(void) { return g_base->xDlSym(g_base, h, s); }
void v_dlclose(sqlite3_vfs*, void* h) { g_base->xDlClose(g_base, h); }
int v_randomness(sqlite3_vfs*, int n, char* out) { return g_base->xRandomness(g_base, n, out); }
int v_sleep(sqlite3_vfs*, int us) { return g_base->xSleep(g_base, us); }
int v_current_time(sqlite3_vfs*, double* out) { return g_base->xCurrentTime(g_base, out); }
int v_last_error(sqlite3_vfs*, int n, char* out) { return g_base->xGetLastError(g_base, n, out); }
int v_current_time64(sqlite3_vfs*, sqlite3_int64* out) { return g_base->xCurrentTimeInt64(g_base, out); }

}  // namespace

void register_vfs() {
    static std::once_flag once;
    std::call_once(once, [] {
        g_base = sqlite3_vfs_find(nullptr);
        std::memset(&g_io, 0, sizeof g_io);
        g_io.iVersion = 2;  // shared memory (WAL) but no memory-mapped I/O: every write goes through xWrite
        g_io.xClose = x_close;
        g_io.xRead = x_read;
        g_io.xWrite = x_write;
        g_io.xTruncate = x_truncate;
        g_io.xSync = x_sync;
        g_io.xFileSize = x_file_size;
        g_io.xLock = x_lock;
        g_io.xUnlock = x_unlock;
        g_io.xCheckReservedLock = x_check_reserved;
        g_io.xFileControl = x_file_control;
        g_io.xSectorSize = x_sector_size;
        g_io.xDeviceCharacteristics = x_device_characteristics;
        g_io.xShmMap = x_shm_map;
        g_io.xShmLock = x_shm_lock;
        g_io.xShmBarrier = x_shm_barrier;
        g_io.xShmUnmap = x_shm_unmap;
        std::memset(&g_vfs, 0, sizeof g_vfs);
        g_vfs.iVersion = 2;
        g_vfs.szOsFile = static_cast<int>(sizeof(PcFile)) + g_base->szOsFile;
        g_vfs.mxPathname = g_base->mxPathname;
        g_vfs.zName = kVfsName;
        g_vfs.xOpen = v_open;
        g_vfs.xDelete = v_delete;
        g_vfs.xAccess = v_access;
        g_vfs.xFullPathname = v_full_pathname;
        g_vfs.xDlOpen = v_dlopen;
        g_vfs.xDlError = v_dlerror;
        g_vfs.xDlSym = v_dlsym;
        g_vfs.xDlClose = v_dlclose;
        g_vfs.xRandomness = v_randomness;
        g_vfs.xSleep = v_sleep;
        g_vfs.xCurrentTime = v_current_time;
        g_vfs.xGetLastError = v_last_error;
        g_vfs.xCurrentTimeInt64 = v_current_time64;
        sqlite3_vfs_register(&g_vfs, 0);
    });
}

void cut() {
    std::lock_guard lk(g_mu);
    g_off = true;
    for (PcFile* f : g_files) {
        auto& undo = *f->undo;
        for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
            if (!it->old.empty())
                f->real->pMethods->xWrite(f->real, it->old.data(), static_cast<int>(it->old.size()), it->offset);
            ++g_stats.reverted_writes;
            g_stats.reverted_bytes += static_cast<int64_t>(it->old.size());
        }
        undo.clear();
        if (real_size(f) > f->synced_size) f->real->pMethods->xTruncate(f->real, f->synced_size);
    }
}

void power_on() {
    std::lock_guard lk(g_mu);
    g_off = false;
}

Stats stats() {
    std::lock_guard lk(g_mu);
    return g_stats;
}

void reset_stats() {
    std::lock_guard lk(g_mu);
    g_stats = {};
}

}  // namespace batchivo::test::powercut

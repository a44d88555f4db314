// A thin RAII wrapper over the SQLite C API: a connection, prepared statements with typed binds, and errors as
// exceptions carrying SQLite's message. Shared by the station store and central's SQLite store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace batchivo::sql {

struct Error : std::runtime_error {
    int code;
    Error(int c, const std::string& m) : std::runtime_error(m), code(c) {}
};

class Db;

class Stmt {
public:
    Stmt(Db& db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }

    Stmt& bind(int i, std::nullopt_t);
    Stmt& bind(int i, int64_t v);
    Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt& bind(int i, double v);
    Stmt& bind(int i, std::string_view v);
    Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, bool v) { return bind(i, static_cast<int64_t>(v ? 1 : 0)); }
    template <class T>
    Stmt& bind(int i, const std::optional<T>& v) { return v ? bind(i, *v) : bind(i, std::nullopt); }
    // Binds an empty string as NULL (for optional text/UUID columns).
    Stmt& bind_text_or_null(int i, std::string_view v) { return v.empty() ? bind(i, std::nullopt) : bind(i, v); }

    // Steps once: true when a row is available, false when done. Throws on error.
    bool step();
    // Steps to completion (for statements that return no rows).
    void run();
    void reset();

    bool is_null(int col) const;
    int64_t i64(int col) const;
    int i32(int col) const { return static_cast<int>(i64(col)); }
    double f64(int col) const;
    std::string text(int col) const;  // NULL -> ""
    std::optional<int64_t> opt_i64(int col) const;
    std::optional<double> opt_f64(int col) const;
    std::optional<std::string> opt_text(int col) const;

    sqlite3_stmt* raw() { return s_; }

private:
    Db& db_;
    sqlite3_stmt* s_ = nullptr;
};

class Db {
public:
    // Opens (creating if needed) a database file. Sets a busy timeout so concurrent writers wait rather than fail.
    explicit Db(const std::string& path, int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                const char* vfs = nullptr);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(std::string_view sql);
    // Runs a single-value query (first column of first row); nullopt when no row or NULL.
    std::optional<std::string> query_text(std::string_view sql);
    std::optional<int64_t> query_int(std::string_view sql);
    int64_t changes() const { return sqlite3_changes64(db_); }
    int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
    sqlite3* raw() { return db_; }
    [[noreturn]] void fail(int rc, std::string_view what) const;

private:
    sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless commit() was called.
class Transaction {
public:
    explicit Transaction(Db& db, bool immediate = true);
    ~Transaction();
    void commit();

private:
    Db& db_;
    bool done_ = false;
};

}  // namespace batchivo::sql

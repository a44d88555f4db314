#include "sync/sqlite/sqlite.hpp"

namespace batchivo::sql {

Db::Db(const std::string& path, int flags, const char* vfs) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs);
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        if (db_) sqlite3_close(db_);
        db_ = nullptr;
        throw Error(rc, msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10000);
}

Db::~Db() {
    if (db_) sqlite3_close_v2(db_);
}

void Db::fail(int rc, std::string_view what) const {
    throw Error(rc, std::string(what) + ": " + sqlite3_errmsg(db_));
}

void Db::exec(std::string_view sql) {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw Error(rc, "SQL failed: " + msg);
    }
}

std::optional<std::string> Db::query_text(std::string_view sql) {
    Stmt st(*this, sql);
    if (!st.step() || st.is_null(0)) return std::nullopt;
    return st.text(0);
}

std::optional<int64_t> Db::query_int(std::string_view sql) {
    Stmt st(*this, sql);
    if (!st.step() || st.is_null(0)) return std::nullopt;
    return st.i64(0);
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(db) {
    int rc = sqlite3_prepare_v2(db.raw(), sql.data(), static_cast<int>(sql.size()), &s_, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "prepare '" + std::string(sql.substr(0, 80)) + "'");
}

Stmt::~Stmt() {
    if (s_) sqlite3_finalize(s_);
}

Stmt& Stmt::bind(int i, std::nullopt_t) {
    if (int rc = sqlite3_bind_null(s_, i); rc != SQLITE_OK) db_.fail(rc, "bind");
    return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
    if (int rc = sqlite3_bind_int64(s_, i, v); rc != SQLITE_OK) db_.fail(rc, "bind");
    return *this;
}
Stmt& Stmt::bind(int i, double v) {
    if (int rc = sqlite3_bind_double(s_, i, v); rc != SQLITE_OK) db_.fail(rc, "bind");
    return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
    if (int rc = sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); rc != SQLITE_OK)
        db_.fail(rc, "bind");
    return *this;
}

bool Stmt::step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail(rc, "step");
}

void Stmt::run() {
    while (step()) {
    }
}

void Stmt::reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
}

bool Stmt::is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
int64_t Stmt::i64(int c) const { return sqlite3_column_int64(s_, c); }
double Stmt::f64(int c) const { return sqlite3_column_double(s_, c); }
std::string Stmt::text(int c) const {
    auto p = sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, c)))
             : std::string();
}
std::optional<int64_t> Stmt::opt_i64(int c) const { return is_null(c) ? std::nullopt : std::optional(i64(c)); }
std::optional<double> Stmt::opt_f64(int c) const { return is_null(c) ? std::nullopt : std::optional(f64(c)); }
std::optional<std::string> Stmt::opt_text(int c) const {
    return is_null(c) ? std::nullopt : std::optional(text(c));
}

Transaction::Transaction(Db& db, bool immediate) : db_(db) { db_.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN"); }
Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
        }
    }
}
void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace batchivo::sql

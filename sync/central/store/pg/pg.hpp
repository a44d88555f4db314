// A thin RAII wrapper over libpq: a connection, parameterised queries with text parameters, results by column,
// errors as exceptions carrying PostgreSQL's message and SQLSTATE. Used only by central's PostgreSQL store.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace batchivo::central::pg {

struct Error : std::runtime_error {
    std::string sqlstate;
    Error(const std::string& m, std::string state) : std::runtime_error(m), sqlstate(std::move(state)) {}
};

// A query parameter: text or NULL.
using Param = std::optional<std::string>;

class Result {
public:
    Result() = default;
    explicit Result(PGresult* r) : r_(r, &PQclear) {}
    int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
    bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
    std::string text(int row, int col) const { return null(row, col) ? std::string() : PQgetvalue(r_.get(), row, col); }
    std::optional<std::string> opt_text(int row, int col) const {
        if (null(row, col)) return std::nullopt;
        return std::string(PQgetvalue(r_.get(), row, col));
    }
    long long i64(int row, int col) const { return null(row, col) ? 0 : std::stoll(PQgetvalue(r_.get(), row, col)); }
    int i32(int row, int col) const { return static_cast<int>(i64(row, col)); }
    std::optional<int> opt_i32(int row, int col) const {
        if (null(row, col)) return std::nullopt;
        return i32(row, col);
    }
    double f64(int row, int col) const { return null(row, col) ? 0 : std::stod(PQgetvalue(r_.get(), row, col)); }
    std::optional<double> opt_f64(int row, int col) const {
        if (null(row, col)) return std::nullopt;
        return f64(row, col);
    }
    bool boolean(int row, int col) const { return !null(row, col) && PQgetvalue(r_.get(), row, col)[0] == 't'; }
    long long affected() const;

private:
    std::shared_ptr<PGresult> r_;
};

class Conn {
public:
    explicit Conn(const std::string& conninfo);
    ~Conn();
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    // Runs one or more statements without parameters.
    void exec(const std::string& sql);
    Result query(const std::string& sql, const std::vector<Param>& params = {});
    bool ok() const { return c_ && PQstatus(c_) == CONNECTION_OK; }
    bool in_transaction() const;
    PGconn* raw() { return c_; }

private:
    PGconn* c_ = nullptr;
};

// BEGIN ... COMMIT; the destructor rolls back unless commit() was called.
class Tx {
public:
    explicit Tx(Conn& c, const char* begin = "BEGIN");
    ~Tx();
    void commit();

private:
    Conn& c_;
    bool done_ = false;
};

// Quotes a string as a PostgreSQL array element ("..." with \ and " escaped).
std::string array_literal(const std::vector<Param>& elems);

}  // namespace batchivo::central::pg

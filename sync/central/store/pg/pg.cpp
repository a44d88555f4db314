#include "sync/central/store/pg/pg.hpp"

namespace batchivo::central::pg {

namespace {
[[noreturn]] void throw_result(PGconn* c, PGresult* r, const std::string& what) {
    std::string state;
    std::string msg = what;
    if (r) {
        if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
        if (const char* m = PQresultErrorMessage(r); m && *m) msg += ": " + std::string(m);
        PQclear(r);
    } else if (c) {
        msg += ": " + std::string(PQerrorMessage(c));
    }
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw Error(msg, state);
}
}  // namespace

long long Result::affected() const {
    if (!r_) return 0;
    const char* n = PQcmdTuples(r_.get());
    return n && *n ? std::stoll(n) : 0;
}

Conn::Conn(const std::string& conninfo) {
    c_ = PQconnectdb(conninfo.c_str());
    if (!c_ || PQstatus(c_) != CONNECTION_OK) {
        std::string msg = c_ ? PQerrorMessage(c_) : "out of memory";
        if (c_) PQfinish(c_);
        c_ = nullptr;
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        throw Error("cannot connect to PostgreSQL: " + msg, "08001");
    }
    PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
}

Conn::~Conn() {
    if (c_) PQfinish(c_);
}

void Conn::exec(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw_result(c_, r, "SQL failed");
    PQclear(r);
}

Result Conn::query(const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* r = PQexecParams(c_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw_result(c_, r, "query failed");
    return Result(r);
}

bool Conn::in_transaction() const { return PQtransactionStatus(c_) != PQTRANS_IDLE; }

Tx::Tx(Conn& c, const char* begin) : c_(c) { c_.exec(begin); }
Tx::~Tx() {
    if (!done_) {
        try {
            c_.exec("ROLLBACK");
        } catch (...) {
        }
    }
}
void Tx::commit() {
    c_.exec("COMMIT");
    done_ = true;
}

std::string array_literal(const std::vector<Param>& elems) {
    std::string out = "{";
    bool first = true;
    for (const auto& e : elems) {
        if (!first) out += ',';
        first = false;
        if (!e) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char c : *e) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

}  // namespace batchivo::central::pg

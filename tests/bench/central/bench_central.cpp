// bench_central: how fast batchivo-central applies station transactions and serves catalog requests.
//   1. transactions/s through POST /transactions (500-item batches, HTTPS keep-alive, 2 concurrent stations)
//      vs the same rows written by a raw batched INSERT ... SELECT FROM unnest over libpq (same run, same cluster,
//      same app role with RLS). Goal: >= 5,000 tx/s and within 3x of raw.
//   2. GET /catalog requests/s and p50/p99 latency from 2 keep-alive clients, against GET /health as the transport
//      baseline: the full 200-spool catalog (goal >= 500 req/s), the empty delta at the current cursor with
//      If-None-Match -> 304 (goal >= 1,000 req/s, p99 < 50 ms), and the same without If-None-Match.
// Needs scripts/pg-throwaway (PostgreSQL 15), started with PG_THROWAWAY_DURABLE=1: fsync, synchronous_commit and
// full_page_writes on, as in production (checked before measuring). Prints figures; never asserts timings.
#include "batchivo_source_dir.hpp"
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "sync/central/store/pg/pg.hpp"
#include "sync/central/store/pg/role_check.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/store/store.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/central/common/secrets.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

using namespace batchivo;
using namespace batchivo::central;
using Clock = std::chrono::steady_clock;

namespace {

std::string sh(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

size_t sink(char* p, size_t s, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(p, s * n);
    return s * n;
}

// One keep-alive HTTPS connection.
struct Conn {
    CURL* c = curl_easy_init();
    curl_slist* hdrs = nullptr;
    std::string body;
    Conn(const std::string& ca, const std::string& token, const std::string& extra_header = "") {
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        hdrs = curl_slist_append(hdrs, ("Authorization: Bearer " + token).c_str());
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        if (!extra_header.empty()) hdrs = curl_slist_append(hdrs, extra_header.c_str());
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    }
    ~Conn() {
        curl_slist_free_all(hdrs);
        curl_easy_cleanup(c);
    }
    long request(const std::string& url, const std::string* post) {
        body.clear();
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        if (post) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, post->data());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post->size()));
        } else {
            curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        }
        if (curl_easy_perform(c) != CURLE_OK) return -1;
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        return status;
    }
};

double secs(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

struct Lat {
    double rps, p50_ms, p99_ms;
};

Lat measure_gets(const std::string& url, const std::string& ca, const std::string& token, int threads, int per_thread,
                 long expect = 200, const std::string& extra_header = "") {
    std::vector<std::vector<double>> lat(static_cast<size_t>(threads));
    std::atomic<int> errors{0};
    const auto t0 = Clock::now();
    std::vector<std::thread> th;
    for (int t = 0; t < threads; ++t)
        th.emplace_back([&, t] {
            Conn c(ca, token, extra_header);
            for (int i = 0; i < per_thread; ++i) {
                const auto a = Clock::now();
                if (c.request(url, nullptr) != expect) ++errors;
                lat[static_cast<size_t>(t)].push_back(secs(a, Clock::now()) * 1000);
            }
        });
    for (auto& x : th) x.join();
    const double total = secs(t0, Clock::now());
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    if (errors) std::printf("  (%d failed requests)\n", errors.load());
    return {static_cast<double>(all.size()) / total, all[all.size() / 2], all[std::min(all.size() - 1, all.size() * 99 / 100)]};
}


// Server-side statement durations from PostgreSQL's log (log_min_duration_statement = 0 for one role), summed per
// statement (parse + bind + execute of the extended protocol, or a simple query), from byte `from` of the log.
struct StmtCost {
    double ms = 0;
    int executions = 0;
};
std::map<std::string, StmtCost> statement_costs(const std::string& log_file, std::streamoff from, double* total_ms) {
    std::map<std::string, StmtCost> out;
    std::ifstream in(log_file);
    in.seekg(from);
    std::string line;
    *total_ms = 0;
    while (std::getline(in, line)) {
        const size_t at = line.find("duration: ");
        if (at == std::string::npos) continue;
        const double ms = std::atof(line.c_str() + at + 10);
        size_t text = line.find(" ms  ", at);
        if (text == std::string::npos) continue;
        text += 5;
        if (line.compare(text, 5, "plan:") == 0) continue;  // auto_explain's plan of a statement logged anyway
        bool execution = false;
        for (const char* kind : {"parse <unnamed>: ", "bind <unnamed>: ", "execute <unnamed>: ", "statement: "}) {
            if (line.compare(text, std::strlen(kind), kind) == 0) {
                execution = kind[0] == 'e' || kind[0] == 's';
                text += std::strlen(kind);
                break;
            }
        }
        std::string key = line.substr(text, 56);
        auto& c = out[key];
        c.ms += ms;
        if (execution) ++c.executions;
        *total_ms += ms;
    }
    return out;
}

}  // namespace

int main() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const std::string dir = "/tmp/batchivo-bench-central-pg-" + std::to_string(getpid());
    const std::string script = std::string(BATCHIVO_SOURCE_DIR) + "/scripts/pg-throwaway";
    const std::string super = sh("PG_THROWAWAY_DURABLE=1 " + script + " start " + dir);
    if (super.rfind("postgresql://", 0) != 0) {
        std::printf("bench_central: cannot start PostgreSQL (%s)\n", super.c_str());
        return 1;
    }
    int rc = 0;
    try {
        const std::string hostpart = super.substr(super.find('@'), super.rfind('/') - super.find('@'));
        {
            pg::Conn c(super);
            const std::string fsync = c.query("SHOW fsync").text(0, 0), sc = c.query("SHOW synchronous_commit").text(0, 0);
            std::printf("PostgreSQL 15 throwaway cluster: fsync=%s synchronous_commit=%s full_page_writes=%s\n", fsync.c_str(),
                        sc.c_str(), c.query("SHOW full_page_writes").text(0, 0).c_str());
            if (fsync != "on" || sc != "on") throw std::runtime_error("the bench needs fsync and synchronous_commit on");
            c.exec("CREATE ROLE bench_owner LOGIN BYPASSRLS CREATEROLE");
            c.exec("CREATE DATABASE bench OWNER bench_owner");
        }
        const std::string owner_url = "postgresql://bench_owner" + hostpart + "/bench";
        const std::string app_url = "postgresql://bench_app" + hostpart + "/bench";
        auto owner = open_store(owner_url, 2);
        owner->migrate();
        create_app_role(owner_url, "bench_app", "bench");
        const int threads = 4;
        std::shared_ptr<Store> app = open_store(app_url, threads);
        const Tenant t = owner->create_tenant("bench", "Bench");
        std::vector<std::string> spools;
        for (int i = 0; i < 200; ++i) {
            Spool s;
            s.spool_id = "B-" + std::to_string(i);
            s.material_name = i % 2 ? "PLA" : "PETG";
            s.brand = "Prusament";
            s.color = "Black";
            s.initial_weight_g = 50000;
            s.current_weight_g = 50000;
            spools.push_back(owner->upsert_spool(t.id, s).id);
        }
        const auto tls = ensure_tls(dir + "-tls");
        // The server writes one access-log line per request to stderr: into a file while the bench runs, so the
        // figures stay readable (the logging itself still happens, as in production).
        const std::string access_log = dir + "-access.log";
        const int saved_stderr = dup(2);
        {
            const int fd = open(access_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd < 0 || saved_stderr < 0) throw std::runtime_error("cannot open " + access_log);
            dup2(fd, 2);
            close(fd);
        }
        struct RestoreStderr {
            int fd;
            ~RestoreStderr() {
                std::fflush(stderr);
                dup2(fd, 2);
                close(fd);
            }
        } restore_stderr{saved_stderr};
        CentralServer server(app);
        ServerOptions so;
        so.cert_file = tls.cert_file;
        so.key_file = tls.key_file;
        so.threads = threads;
        so.rate_per_s = 0;
        std::string err;
        if (!server.start(so, &err)) throw std::runtime_error(err);
        const auto pc = owner->create_pairing_code(t.id, "bench", 600);
        const auto pr = app->redeem_pairing(pc.code, "bench");
        const auto pr2 = app->redeem_pairing(owner->create_pairing_code(t.id, "bench2", 600).code, "bench2");

        // --- 1. transactions through the endpoint -------------------------------------------------------------
        const int batches_per_station = 20, per_batch = 500, stations = 2;
        auto make_batches = [&](int station) {
            std::vector<std::string> out;
            int64_t seq = 0;
            for (int b = 0; b < batches_per_station; ++b) {
                wire::TxBatch batch;
                for (int i = 0; i < per_batch; ++i) {
                    wire::TxItem it;
                    it.client_id = new_uuid_v7();
                    it.device_seq = ++seq;
                    it.device_time = iso8601_utc_ms(now_epoch_ms());
                    it.spool_uuid = spools[static_cast<size_t>((i * 7 + b + station * 100) % 200)];
                    it.type = "usage";
                    it.quantity_grams = -1;
                    batch.items.push_back(it);
                }
                out.push_back(nlohmann::json(batch).dump());
            }
            return out;
        };
        std::vector<std::vector<std::string>> bodies{make_batches(0), make_batches(1)};
        const std::string tx_url = server.url() + wire::kApiPrefix + "/transactions";
        std::atomic<int> bad{0};
        auto t0 = Clock::now();
        {
            std::vector<std::thread> th;
            for (int s = 0; s < stations; ++s)
                th.emplace_back([&, s] {
                    Conn c(tls.ca_file, s == 0 ? pr.token : pr2.token);
                    for (const auto& body : bodies[static_cast<size_t>(s)]) {
                        if (c.request(tx_url, &body) != 200 || c.body.find("\"rejected\"") != std::string::npos) ++bad;
                    }
                });
            for (auto& x : th) x.join();
        }
        const double api_s = secs(t0, Clock::now());
        const int total = stations * batches_per_station * per_batch;
        const double api_tps = total / api_s;

        // --- the store alone (no HTTP, no JSON): where the endpoint's time goes ---------------------------------
        double store_tps = 0;
        {
            std::vector<wire::TxBatch> parsed;
            for (int s = 0; s < stations; ++s)
                for (const auto& body : make_batches(s)) parsed.push_back(nlohmann::json::parse(body).get<wire::TxBatch>());
            const auto dev1 = *app->authenticate(pr.token);
            const auto ts = Clock::now();
            for (const auto& b : parsed) app->apply_batch(dev1, b);
            store_tps = total / secs(ts, Clock::now());
        }

        // --- where the store's time goes: every statement's server-side duration from PostgreSQL's log -------
        // A fresh one-connection store whose role logs every statement (set for the role by the superuser, so it
        // applies from the connection's start); the same kind of batches, sequential. Logging slows the server a
        // little: these figures explain the store line above, they are not a throughput.
        std::map<std::string, StmtCost> costs;
        double profile_server_ms = 0, profile_wall_ms = 0;
        const int profile_batches = 8;
        {
            pg::Conn su(super);
            su.exec("ALTER ROLE bench_app SET log_min_duration_statement = 0");
            su.exec("ALTER ROLE bench_app SET log_parameter_max_length = 0");
            // BATCHIVO_BENCH_EXPLAIN=1: also every statement's plan with timings, trigger times and buffers
            // (auto_explain), printed after the profile.
            const bool explain = std::getenv("BATCHIVO_BENCH_EXPLAIN") != nullptr;
            if (explain) {
                su.exec("ALTER ROLE bench_app SET session_preload_libraries = 'auto_explain'");
                for (const char* set : {"log_min_duration = 0", "log_analyze = on", "log_buffers = on", "log_triggers = on",
                                        "log_nested_statements = on"})
                    su.exec(std::string("ALTER ROLE bench_app SET auto_explain.") + set);
            }
            const std::string log_file = dir + "/server.log";
            std::streamoff from = 0;
            {
                std::ifstream in(log_file, std::ios::ate);
                from = in.tellg();
            }
            {
                std::shared_ptr<Store> logged = open_store(app_url, 1);
                const auto dev1 = *logged->authenticate(pr.token);
                auto batches = make_batches(0);
                batches.resize(profile_batches);
                std::vector<wire::TxBatch> parsed;
                for (const auto& body : batches) parsed.push_back(nlohmann::json::parse(body).get<wire::TxBatch>());
                const auto ts = Clock::now();
                for (const auto& b : parsed) logged->apply_batch(dev1, b);
                profile_wall_ms = secs(ts, Clock::now()) * 1000;
            }
            su.exec("ALTER ROLE bench_app RESET ALL");
            // open_store()'s and authenticate()'s few statements are in the log too (they take microseconds).
            costs = statement_costs(log_file, from, &profile_server_ms);
            if (explain) {
                std::ifstream in(log_file);
                in.seekg(from);
                for (std::string l; std::getline(in, l);) std::printf("%s\n", l.c_str());
            }
        }

        // --- raw baseline: same number of rows, same batch size, same role and RLS, 2 concurrent connections -----
        t0 = Clock::now();
        {
            std::vector<std::thread> th;
            for (int s = 0; s < stations; ++s)
                th.emplace_back([&, s] {
                    pg::Conn c(app_url);
                    for (int b = 0; b < batches_per_station; ++b) {
                        std::vector<pg::Param> ids, sp, cid, seq, tm, hash, res;
                        for (int i = 0; i < per_batch; ++i) {
                            ids.push_back(new_uuid_v7());
                            sp.push_back(spools[static_cast<size_t>((i * 7 + b + s * 100) % 200)]);
                            cid.push_back(new_uuid_v7());
                            seq.push_back(std::to_string(b * per_batch + i + 1));
                            tm.push_back(iso8601_utc_ms(now_epoch_ms()));
                            hash.push_back(sha256_hex(*cid.back()));
                            res.push_back("1000");
                        }
                        pg::Tx tx(c);
                        c.query("SELECT set_config('app.current_tenant_id', $1, true)", {t.id});
                        // the same rows the endpoint writes: every station column, same FKs and indexes
                        c.query("INSERT INTO inventory_transactions(id, tenant_id, spool_id, transaction_type, quantity_grams, "
                                "reference_type, client_id, device_id, device_seq, device_time, device_quantity_grams, content_hash, "
                                "weight_applied, resulting_weight_g) SELECT u.id, $1, u.spool, 'usage', -1, 'station', u.cid, $2, u.seq, "
                                "u.tm, -1, u.hash, true, u.res FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::bigint[], "
                                "$7::timestamptz[], $8::text[], $9::int[]) AS u(id, spool, cid, seq, tm, hash, res)",
                                {t.id, s == 0 ? pr.device_id : pr2.device_id, pg::array_literal(ids), pg::array_literal(sp),
                                 pg::array_literal(cid), pg::array_literal(seq), pg::array_literal(tm), pg::array_literal(hash),
                                 pg::array_literal(res)});
                        tx.commit();
                    }
                });
            for (auto& x : th) x.join();
        }
        const double raw_s = secs(t0, Clock::now());
        const double raw_tps = total / raw_s;
        std::printf("central transactions (PostgreSQL 15, %d x %d-item batches from %d stations over HTTPS):\n",
                    stations * batches_per_station, per_batch, stations);
        std::printf("  POST /transactions : %8.0f tx/s  (%d tx in %.2f s, %d bad responses)\n", api_tps, total, api_s, bad.load());
        std::printf("  store.apply_batch  : %8.0f tx/s  (same batches in-process, sequential: no HTTP/TLS/JSON)\n", store_tps);
        std::printf("  raw batched INSERT : %8.0f tx/s  (libpq, same rows/columns, same role + RLS, no spool updates)\n", raw_tps);
        std::printf("  ratio raw/endpoint : %8.2fx   goals: >= 5000 tx/s -> %s; <= 3x of raw -> %s\n", raw_tps / api_tps,
                    api_tps >= 5000 ? "met" : "NOT met", raw_tps / api_tps <= 3 ? "met" : "NOT met");

        std::printf("  store.apply_batch profile (%d batches, one logged connection): %.1f ms per batch wall, %.1f ms of it "
                    "in PostgreSQL statements:\n", profile_batches, profile_wall_ms / profile_batches,
                    profile_server_ms / profile_batches);
        {
            std::vector<std::pair<std::string, StmtCost>> sorted(costs.begin(), costs.end());
            std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second.ms > b.second.ms; });
            for (const auto& [stmt, c] : sorted) {
                if (c.ms / profile_batches < 0.05) continue;
                std::printf("    %7.2f ms/batch  x%-4d %s\n", c.ms / profile_batches, c.executions, stmt.c_str());
            }
        }

        // --- 2. catalog requests -----------------------------------------------------------------------------------
        const auto full = app->catalog(t.id, "", 1000);
        const std::string base = server.url() + wire::kApiPrefix;
        const auto health = measure_gets(base + "/health", tls.ca_file, pr.token, 2, 1000);
        const auto cat_full = measure_gets(base + "/catalog?limit=1000", tls.ca_file, pr.token, 2, 500);
        const std::string delta_url = base + "/catalog?since=" + full.next_cursor;
        std::string etag;
        {
            // The ETag a station got with its last (empty) delta.
            Conn c(tls.ca_file, pr.token);
            std::string headers;
            curl_easy_setopt(c.c, CURLOPT_HEADERFUNCTION, sink);
            curl_easy_setopt(c.c, CURLOPT_HEADERDATA, &headers);
            if (c.request(delta_url, nullptr) != 200) throw std::runtime_error("empty delta failed: " + c.body);
            const size_t at = headers.find("ETag: ");
            if (at == std::string::npos) throw std::runtime_error("no ETag on GET /catalog");
            etag = headers.substr(at + 6, headers.find('\r', at) - at - 6);
        }
        const auto cat_304 = measure_gets(delta_url, tls.ca_file, pr.token, 2, 1000, 304, "If-None-Match: " + etag);
        const auto cat_delta = measure_gets(delta_url, tls.ca_file, pr.token, 2, 1000);
        double store_cat_ms = 0;
        {
            const auto ts = Clock::now();
            for (int i = 0; i < 50; ++i) app->catalog(t.id, "", 1000);
            store_cat_ms = secs(ts, Clock::now()) * 1000 / 50;
        }
        double json_ms = 0;
        {
            const auto ts = Clock::now();
            for (int i = 0; i < 50; ++i) (void)nlohmann::json(full).dump();
            json_ms = secs(ts, Clock::now()) * 1000 / 50;
        }
        std::printf("catalog requests (2 keep-alive HTTPS clients):\n");
        std::printf("  store.catalog full in-process     : %6.2f ms per call; JSON encoding %.2f ms\n", store_cat_ms, json_ms);
        std::printf("  GET /health (transport baseline) : %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms\n", health.rps, health.p50_ms, health.p99_ms);
        std::printf("  GET /catalog full (200 spools)   : %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%.1fx slower than health)\n",
                    cat_full.rps, cat_full.p50_ms, cat_full.p99_ms, health.rps / cat_full.rps);
        std::printf("  GET /catalog empty delta, 304    : %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%.1fx slower than health)\n",
                    cat_304.rps, cat_304.p50_ms, cat_304.p99_ms, health.rps / cat_304.rps);
        std::printf("  GET /catalog empty delta, no tag : %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%.1fx slower than health)\n",
                    cat_delta.rps, cat_delta.p50_ms, cat_delta.p99_ms, health.rps / cat_delta.rps);
        // Same run: what one full-catalog request would cost the server without the body cache (store + JSON), vs
        // the whole request with it (2 clients, so per-client latency = 2 / rate).
        std::printf("  body cache: full catalog request %.2f ms per client vs %.2f ms of store + JSON work without it (%.1fx)\n",
                    2000.0 / cat_full.rps, store_cat_ms + json_ms, (store_cat_ms + json_ms) / (2000.0 / cat_full.rps));
        std::printf("  goals: full >= 500 req/s -> %s; empty delta >= 1000 req/s with p99 < 50 ms -> %s\n",
                    cat_full.rps >= 500 ? "met" : "NOT met", cat_304.rps >= 1000 && cat_304.p99_ms < 50 ? "met" : "NOT met");
        server.stop();
        std::fflush(stderr);
        int lines = 0;
        {
            std::ifstream in(access_log);
            for (std::string l; std::getline(in, l);) ++lines;
        }
        std::printf("(server access log: %d lines, written to a file and deleted)\n", lines);
        std::filesystem::remove(access_log);
    } catch (const std::exception& e) {
        std::printf("bench_central: %s\n", e.what());
        rc = 1;
    }
    sh(script + " stop " + dir);
    std::filesystem::remove_all(dir + "-tls");
    std::filesystem::remove(dir + "-access.log");
    return rc;
}

// Several `batchivo-central serve` processes on ONE PostgreSQL database behave as one server (docs/CENTRAL.md
// "Several instances"): the same batch posted to two instances at once is applied once; stations alternating
// between instances get exactly-once results, right weights and monotonic catalog cursors; a pairing code is
// redeemable on any instance (once); a token revoked by the admin CLI is refused by every instance; catalog ETags
// and cached catalog bodies are never stale across instances. Real processes, real HTTPS, the throwaway cluster.
#include <catch2/catch.hpp>

#include <curl/curl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <barrier>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "central_test_util.hpp"
#include "sync/central/apply/cursor.hpp"
#include "sync/central/store/pg/pg.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

using namespace batchivo;
using namespace batchivo::central;
using nlohmann::json;

namespace {

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = 0;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

int run(const std::string& args) {
    const std::string cmd = std::string(BATCHIVO_CENTRAL_EXE) + " " + args + " >/dev/null 2>&1";
    const int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// One `serve` process; killed (SIGTERM, then SIGKILL) by the destructor.
struct Instance {
    pid_t pid = -1;
    int port = 0;
    Instance(const std::string& db_url, const std::string& data_dir) : port(free_port()) {
        pid = fork();
        if (pid == 0) {
            const std::string listen = "127.0.0.1:" + std::to_string(port);
            execl(BATCHIVO_CENTRAL_EXE, BATCHIVO_CENTRAL_EXE, "--db", db_url.c_str(), "--data-dir", data_dir.c_str(), "serve",
                  "--listen", listen.c_str(), "--threads", "4", "--rate", "0", static_cast<char*>(nullptr));
            _exit(127);
        }
    }
    ~Instance() {
        if (pid <= 0) return;
        kill(pid, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            if (waitpid(pid, nullptr, WNOHANG) == pid) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
    std::string base() const { return "https://127.0.0.1:" + std::to_string(port); }
};

size_t sink(char* p, size_t s, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(p, s * n);
    return s * n;
}

struct Resp {
    long status = 0;
    std::string body, etag;
    CURLcode curl = CURLE_OK;
};

// One HTTPS request trusting the shared CA; extra request headers; returns the ETag response header.
Resp request(const std::string& url, const std::string& ca, const std::string& token, const std::string* post,
             const std::vector<std::string>& headers = {}) {
    Resp r;
    std::string hdr_text;
    CURL* c = curl_easy_init();
    curl_slist* h = nullptr;
    if (!token.empty()) h = curl_slist_append(h, ("Authorization: Bearer " + token).c_str());
    h = curl_slist_append(h, "Content-Type: application/json");
    for (const auto& x : headers) h = curl_slist_append(h, x.c_str());
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hdr_text);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    if (post) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, post->data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post->size()));
    }
    r.curl = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    for (size_t at = 0; (at = hdr_text.find('\n', at)) != std::string::npos;) {
        ++at;
        if (hdr_text.compare(at, 5, "ETag:") == 0 || hdr_text.compare(at, 5, "etag:") == 0) {
            const size_t end = hdr_text.find('\r', at);
            r.etag = hdr_text.substr(at + 5, end - at - 5);
            while (!r.etag.empty() && r.etag.front() == ' ') r.etag.erase(0, 1);
        }
    }
    return r;
}

// Two instances on one fresh database (app role), sharing one data dir, hence one CA/certificate/key.
struct Farm {
    ct::Backend b = ct::PgBackend::make();
    ct::Fixture f = ct::make_tenant(*b.admin, "multi", 4);
    std::string dir = ct::temp_dir("multi");
    std::string ca;
    std::unique_ptr<Instance> inst[2];
    Farm() {
        // The first instance generates the TLS material in DIR/tls; the second reuses it.
        for (int k = 0; k < 2; ++k) {
            inst[k] = std::make_unique<Instance>(b.pg.app_url, dir);
            ca = dir + "/tls/ca.pem";
            Resp r;
            for (int i = 0; i < 400; ++i) {  // readiness: wait until it answers
                r = request(inst[k]->base() + wire::kApiPrefix + "/health", ca, "", nullptr);
                if (r.status == 200) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
            }
            INFO("instance " << k << " curl " << r.curl);
            REQUIRE(r.status == 200);
        }
    }
    std::string url(int k, const std::string& path) const { return inst[k]->base() + wire::kApiPrefix + path; }
    std::string pair_token(int via) const {
        const auto pc = b.admin->create_pairing_code(f.tenant.id, "bay", 600);
        const std::string body = json(wire::PairRequest{pc.code, "station"}).dump();
        const Resp r = request(url(via, "/pair"), ca, "", &body);
        REQUIRE(r.status == 200);
        return json::parse(r.body).at("token").get<std::string>();
    }
    // Rows per client_id and the spools' weights, read as the owner (no RLS in the way).
    std::map<std::string, long long> rows_per_client() const {
        pg::Conn c(b.pg.owner_url);
        auto r = c.query("SELECT client_id, count(*) FROM inventory_transactions WHERE tenant_id = $1 GROUP BY client_id",
                         {f.tenant.id});
        std::map<std::string, long long> out;
        for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = r.i64(i, 1);
        return out;
    }
    std::map<std::string, int> weights() const {
        pg::Conn c(b.pg.owner_url);
        auto r = c.query("SELECT id, current_weight_g FROM spools WHERE tenant_id = $1", {f.tenant.id});
        std::map<std::string, int> out;
        for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = r.i32(i, 1);
        return out;
    }
};

std::string batch_body(const std::vector<wire::TxItem>& items) {
    wire::TxBatch b;
    b.items = items;
    b.sent_at = iso8601_utc_ms(now_epoch_ms());
    return json(b).dump();
}

}  // namespace

TEST_CASE("two instances, one database: the same batch posted to both at once is applied exactly once", "[multi]") {
    Farm farm;
    const std::string token = farm.pair_token(0);
    std::map<std::string, int> expected = farm.weights();
    std::set<std::string> all_ids;
    int64_t seq = 0;
    for (int round = 0; round < 12; ++round) {
        std::vector<wire::TxItem> items;
        for (int i = 0; i < 25; ++i) {
            const auto& sp = farm.f.spools[static_cast<size_t>((i + round) % 4)];
            items.push_back(ct::usage(sp.id, 1 + i % 3, ++seq));
            expected[sp.id] -= 1 + i % 3;
            all_ids.insert(items.back().client_id);
        }
        const std::string body = batch_body(items);
        Resp res[2];
        std::barrier sync_point(2);
        std::thread t[2];
        for (int k = 0; k < 2; ++k)
            t[k] = std::thread([&, k] {
                sync_point.arrive_and_wait();  // both requests leave together
                res[k] = request(farm.url(k, "/transactions"), farm.ca, token, &body);
            });
        for (auto& x : t) x.join();
        INFO("round " << round << ": " << res[0].body.substr(0, 300) << " | " << res[1].body.substr(0, 300));
        REQUIRE(res[0].status == 200);
        REQUIRE(res[1].status == 200);
        const auto r0 = json::parse(res[0].body).get<wire::TxBatchResponse>();
        const auto r1 = json::parse(res[1].body).get<wire::TxBatchResponse>();
        REQUIRE(r0.results.size() == items.size());
        REQUIRE(r1.results.size() == items.size());
        for (size_t i = 0; i < items.size(); ++i) {
            // One instance applied the item, the other saw it as a duplicate of the same transaction.
            const std::set<std::string> st{r0.results[i].status, r1.results[i].status};
            CHECK(st == std::set<std::string>{"applied", "duplicate"});
            CHECK(r0.results[i].transaction_id == r1.results[i].transaction_id);
        }
    }
    const auto rows = farm.rows_per_client();
    CHECK(rows.size() == all_ids.size());
    for (const auto& id : all_ids) {
        INFO(id);
        CHECK(rows.count(id) == 1);
        if (rows.count(id)) CHECK(rows.at(id) == 1);
    }
    CHECK(farm.weights() == expected);
}

TEST_CASE("two instances, one database: stations alternating between instances, exactly once, monotonic cursors",
          "[multi]") {
    Farm farm;
    const std::string tokens[2] = {farm.pair_token(0), farm.pair_token(1)};
    std::map<std::string, int> expected = farm.weights();
    std::mutex mu;
    std::set<std::string> all_ids;
    std::vector<std::string> failures;
    auto station = [&](int s) {
        int64_t seq = 0;
        std::string cursor;
        Cursor last{};
        for (int b = 0; b < 24; ++b) {
            std::vector<wire::TxItem> items;
            for (int i = 0; i < 10; ++i) {
                const auto& sp = farm.f.spools[static_cast<size_t>((i + b + s) % 4)];
                items.push_back(ct::usage(sp.id, 1, ++seq));
                std::lock_guard lk(mu);
                expected[sp.id] -= 1;
                all_ids.insert(items.back().client_id);
            }
            const std::string body = batch_body(items);
            const int via = (b + s) % 2;
            const Resp r = request(farm.url(via, "/transactions"), farm.ca, tokens[s], &body);
            // Every third batch: the answer "was lost" and the station retries the same batch on the other instance.
            const Resp retry = b % 3 == 0 ? request(farm.url(1 - via, "/transactions"), farm.ca, tokens[s], &body) : Resp{};
            // A catalog pull from the other instance than the one that applied the batch.
            const Resp cat = request(farm.url(1 - via, "/catalog?since=" + cursor), farm.ca, tokens[s], nullptr);
            std::lock_guard lk(mu);
            if (r.status != 200) failures.push_back("station " + std::to_string(s) + " batch " + std::to_string(b) + ": " + r.body);
            else
                for (const auto& x : json::parse(r.body).get<wire::TxBatchResponse>().results)
                    if (x.status != "applied") failures.push_back("not applied: " + x.status + " " + x.code);
            if (b % 3 == 0) {
                if (retry.status != 200) failures.push_back("retry failed: " + retry.body);
                else
                    for (const auto& x : json::parse(retry.body).get<wire::TxBatchResponse>().results)
                        if (x.status != "duplicate") failures.push_back("retry not duplicate: " + x.status);
            }
            if (cat.status != 200) {
                failures.push_back("catalog: " + cat.body);
                continue;
            }
            const auto d = json::parse(cat.body).get<wire::CatalogDelta>();
            const auto c = parse_cursor(d.next_cursor);
            if (!c || c->tenant_seq < last.tenant_seq || c->material_seq < last.material_seq)
                failures.push_back("cursor went backwards: " + cursor + " -> " + d.next_cursor);
            else
                last = *c;
            cursor = d.next_cursor;
        }
    };
    std::thread t0(station, 0), t1(station, 1);
    t0.join();
    t1.join();
    for (const auto& f : failures) FAIL_CHECK(f);
    const auto rows = farm.rows_per_client();
    CHECK(rows.size() == all_ids.size());
    long long total = 0;
    for (const auto& [id, n] : rows) total += n;
    CHECK(total == static_cast<long long>(all_ids.size()));
    CHECK(farm.weights() == expected);
    // A full catalog from either instance shows the final weights.
    for (int k = 0; k < 2; ++k) {
        const Resp r = request(farm.url(k, "/catalog?limit=1000"), farm.ca, tokens[0], nullptr);
        REQUIRE(r.status == 200);
        for (const auto& cs : json::parse(r.body).get<wire::CatalogDelta>().spools)
            CHECK(cs.spool.current_weight_g == expected.at(cs.spool.id));
    }
}

TEST_CASE("two instances, one database: pairing through one, revocation by the admin refused by both",
          "[multi]") {
    Farm farm;
    // A code created by the admin, redeemed through instance 1; the same code is refused by instance 0 afterwards.
    const auto pc = farm.b.admin->create_pairing_code(farm.f.tenant.id, "bay 7", 600);
    const std::string body = json(wire::PairRequest{pc.code, "station"}).dump();
    const Resp first = request(farm.url(1, "/pair"), farm.ca, "", &body);
    REQUIRE(first.status == 200);
    const auto paired = json::parse(first.body).get<wire::PairResponse>();
    const Resp again = request(farm.url(0, "/pair"), farm.ca, "", &body);
    CHECK(again.status == 401);
    CHECK_THAT(again.body, Catch::Contains("invalid_pairing_code"));
    // The token works on both instances.
    for (int k = 0; k < 2; ++k) {
        const Resp who = request(farm.url(k, "/whoami"), farm.ca, paired.token, nullptr);
        CHECK(who.status == 200);
        CHECK_THAT(who.body, Catch::Contains(paired.device_id));
    }
    // Revoked through the admin CLI (owner role): both instances refuse it on the next request.
    REQUIRE(run("--db " + farm.b.pg.owner_url + " device revoke --tenant multi --device " + paired.device_id) == 0);
    for (int k = 0; k < 2; ++k) {
        const Resp who = request(farm.url(k, "/whoami"), farm.ca, paired.token, nullptr);
        CHECK(who.status == 401);
        const Resp cat = request(farm.url(k, "/catalog"), farm.ca, paired.token, nullptr);
        CHECK(cat.status == 401);
    }
}

TEST_CASE("two instances, one database: catalog ETags and cached bodies follow changes made through the other",
          "[multi][etag]") {
    Farm farm;
    const std::string token = farm.pair_token(0);
    // Full catalog from instance 0 (cached there), then its ETag on instance 1: the same version -> 304.
    const Resp full0 = request(farm.url(0, "/catalog?limit=1000"), farm.ca, token, nullptr);
    REQUIRE(full0.status == 200);
    REQUIRE_FALSE(full0.etag.empty());
    const Resp again0 = request(farm.url(0, "/catalog?limit=1000"), farm.ca, token, nullptr);  // from the cache
    CHECK(again0.status == 200);
    CHECK(again0.etag == full0.etag);
    CHECK(json::parse(again0.body)["spools"] == json::parse(full0.body)["spools"]);
    const Resp nm1 = request(farm.url(1, "/catalog?limit=1000"), farm.ca, token, nullptr, {"If-None-Match: " + full0.etag});
    CHECK(nm1.status == 304);
    CHECK(nm1.body.empty());
    CHECK(nm1.etag == full0.etag);
    // A batch through instance 1 changes a weight: instance 0 must neither answer 304 nor serve its cached body.
    const auto& sp = farm.f.spools[2];
    const std::string body = batch_body({ct::usage(sp.id, 37, 1)});
    REQUIRE(request(farm.url(1, "/transactions"), farm.ca, token, &body).status == 200);
    const Resp nm0 = request(farm.url(0, "/catalog?limit=1000"), farm.ca, token, nullptr, {"If-None-Match: " + full0.etag});
    CHECK(nm0.status == 200);
    CHECK(nm0.etag != full0.etag);
    bool seen = false;
    for (const auto& cs : json::parse(nm0.body).get<wire::CatalogDelta>().spools)
        if (cs.spool.id == sp.id) {
            seen = true;
            CHECK(cs.spool.current_weight_g == 800 - 37);
        }
    CHECK(seen);
    // The empty delta at the new cursor, on both instances; with its ETag -> 304 on the other one.
    const std::string cursor = json::parse(nm0.body).at("next_cursor").get<std::string>();
    const Resp e0 = request(farm.url(0, "/catalog?since=" + cursor), farm.ca, token, nullptr);
    REQUIRE(e0.status == 200);
    const auto ed = json::parse(e0.body).get<wire::CatalogDelta>();
    CHECK(ed.spools.empty());
    CHECK(ed.next_cursor == cursor);
    CHECK(request(farm.url(1, "/catalog?since=" + cursor), farm.ca, token, nullptr, {"If-None-Match: " + e0.etag}).status == 304);
}

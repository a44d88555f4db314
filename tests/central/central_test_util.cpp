#include "central_test_util.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "sync/central/store/pg/pg.hpp"
#include "sync/central/store/pg/role_check.hpp"
#include "sync/central/common/secrets.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

namespace ct {

namespace pg = batchivo::central::pg;
using namespace batchivo;

namespace {
// Temporary directories are removed when the test process exits.
struct TempDirs {
    std::mutex mu;
    std::vector<std::string> dirs;
    ~TempDirs() {
        std::error_code ec;
        for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
    }
};
TempDirs& temp_dirs() {
    static TempDirs t;
    return t;
}
}  // namespace

std::string temp_dir(const std::string& tag) {
    const std::string d = "/tmp/batchivo-central-test-" + tag + "-" + central::sha256_hex(new_uuid_v4()).substr(0, 10);
    std::filesystem::create_directories(d);
    auto& t = temp_dirs();
    std::lock_guard lk(t.mu);
    t.dirs.push_back(d);
    return d;
}

std::string pg_cluster_url() {
    const char* dir = std::getenv("BATCHIVO_TEST_PG_DIR");
    if (!dir) throw std::runtime_error("BATCHIVO_TEST_PG_DIR is not set (the ctest fixture central_pg_start starts the cluster)");
    std::ifstream in(std::string(dir) + "/url");
    std::string url;
    if (!(in >> url)) throw std::runtime_error(std::string("no PostgreSQL cluster running in ") + dir);
    return url;
}

static std::string with_user_db(const std::string& super, const std::string& user, const std::string& db) {
    // super = postgresql://postgres@HOST:PORT/postgres
    const size_t at = super.find('@'), slash = super.rfind('/');
    return "postgresql://" + user + super.substr(at, slash - at) + "/" + db;
}

PgDb make_pg_db() {
    PgDb d;
    d.super_url = pg_cluster_url();
    d.name = "t_" + central::sha256_hex(new_uuid_v4()).substr(0, 12);
    d.app_role = d.name + "_app";
    {
        pg::Conn c(d.super_url);
        try {
            c.exec("CREATE ROLE batchivo_owner LOGIN BYPASSRLS CREATEROLE");
        } catch (const pg::Error&) {
            // exists already (another test process created it)
        }
        c.exec("CREATE DATABASE " + d.name + " OWNER batchivo_owner");
    }
    d.owner_url = with_user_db(d.super_url, "batchivo_owner", d.name);
    d.app_url = with_user_db(d.super_url, d.app_role, d.name);
    auto owner = central::open_store(d.owner_url, 2);
    owner->migrate();
    central::create_app_role(d.owner_url, d.app_role, "app-secret");
    return d;
}

Backend SqliteBackend::make() {
    Backend b;
    b.name = "sqlite";
    b.admin = central::open_store("sqlite:" + temp_dir("sqlite") + "/central.db");
    b.admin->migrate();
    b.app = b.admin;
    return b;
}

Backend PgBackend::make() {
    Backend b;
    b.name = "postgresql";
    b.pg = make_pg_db();
    b.admin = central::open_store(b.pg.owner_url, 2);
    b.app = central::open_store(b.pg.app_url, 8);
    return b;
}

wire::TxItem usage(const std::string& spool, int grams, int64_t seq) {
    wire::TxItem i;
    i.client_id = new_uuid_v7();
    i.device_seq = seq;
    i.device_time = iso8601_utc_ms(now_epoch_ms());
    i.spool_uuid = spool;
    i.type = "usage";
    i.quantity_grams = -grams;
    return i;
}

wire::TxItem weighing(const std::string& spool, double gross, double tare, int64_t seq) {
    wire::TxItem i = usage(spool, 1, seq);
    i.measurement = wire::WireMeasurement{gross, tare, "catalog", gross - tare};
    return i;
}

Fixture make_tenant(Store& admin, const std::string& slug, int n) {
    Fixture f;
    f.tenant = admin.create_tenant(slug, "Tenant " + slug);
    for (int i = 0; i < n; ++i) {
        Spool s;
        s.spool_id = "FIL-" + std::to_string(i + 1);
        s.material_name = i % 2 ? "PETG" : "PLA";
        s.brand = "Prusament";
        s.color = i % 3 ? "Black" : "Red";
        s.initial_weight_g = 1000;
        s.current_weight_g = 800;
        f.spools.push_back(admin.upsert_spool(f.tenant.id, s));
    }
    return f;
}

central::DeviceAuth pair_device(Store& admin, Store& app, const std::string& tenant_id, std::string* token) {
    const auto pc = admin.create_pairing_code(tenant_id, "Bay", 600);
    const auto r = app.redeem_pairing(pc.code, "test");
    if (token) *token = r.token;
    auto dev = app.authenticate(r.token);
    if (!dev) throw std::runtime_error("fresh token does not authenticate");
    return *dev;
}

namespace {
size_t write_cb(char* p, size_t s, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(p, s * n);
    return s * n;
}
size_t header_cb(char* p, size_t s, size_t n, void* ud) {
    std::string h(p, s * n);
    if (h.size() > 12 && (h.rfind("Retry-After:", 0) == 0 || h.rfind("retry-after:", 0) == 0)) {
        std::string v = h.substr(12);
        while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.pop_back();
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        *static_cast<std::string*>(ud) = v;
    }
    return s * n;
}
std::once_flag curl_once;
}  // namespace

HttpResponse Client::request(const char* method, const std::string& path, const std::string& body) const {
    std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    HttpResponse r;
    CURL* c = curl_easy_init();
    const std::string url = base + path;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.retry_after);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file.c_str());
    if (!pin.empty()) curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, pin.c_str());
    curl_slist* hdrs = nullptr;
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    const std::string auth = "Authorization: Bearer " + token;
    if (!token.empty()) hdrs = curl_slist_append(hdrs, auth.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    if (std::string(method) == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    r.curl = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return r;
}

HttpResponse Client::get(const std::string& path) const { return request("GET", path, ""); }
HttpResponse Client::post(const std::string& path, const std::string& body) const { return request("POST", path, body); }

}  // namespace ct

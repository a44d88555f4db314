// Shared helpers for central tests: backends (SQLite file, PostgreSQL database on the throwaway cluster started by
// the ctest fixture), a libcurl HTTPS client, sample items.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

#include "sync/central/store/store.hpp"
#include "sync/protocol/wire.hpp"

namespace ct {

using batchivo::central::Store;

// A fresh database on the throwaway cluster: owner role (BYPASSRLS, CREATEROLE) migrated it, app role created with
// `create_app_role`. Throws (test fails) when the cluster is not running.
struct PgDb {
    std::string super_url, owner_url, app_url, name, app_role;
};
PgDb make_pg_db();
std::string pg_cluster_url();

struct Backend {
    std::shared_ptr<Store> admin;  // owner / admin operations
    std::shared_ptr<Store> app;    // what the server uses (PostgreSQL: the non-owner app role)
    std::string name;
    PgDb pg;                       // PostgreSQL only
};

struct SqliteBackend {
    static Backend make();
};
struct PgBackend {
    static Backend make();
};

std::string temp_dir(const std::string& tag);

batchivo::wire::TxItem usage(const std::string& spool, int grams, int64_t seq);
batchivo::wire::TxItem weighing(const std::string& spool, double gross, double tare, int64_t seq);

// Creates a tenant with n spools (1000 g initial, 800 g current) and returns (tenant, spool ids).
struct Fixture {
    batchivo::Tenant tenant;
    std::vector<batchivo::Spool> spools;
};
Fixture make_tenant(Store& admin, const std::string& slug, int n);

// A device paired through the store.
batchivo::central::DeviceAuth pair_device(Store& admin, Store& app, const std::string& tenant_id,
                                          std::string* token = nullptr);

struct HttpResponse {
    long status = 0;
    std::string body;
    std::string retry_after;
    CURLcode curl = CURLE_OK;
};
struct Client {
    std::string base;   // https://127.0.0.1:PORT
    std::string ca_file;
    std::string pin;
    std::string token;
    HttpResponse get(const std::string& path) const;
    HttpResponse post(const std::string& path, const std::string& body) const;
    HttpResponse request(const char* method, const std::string& path, const std::string& body) const;
};

}  // namespace ct

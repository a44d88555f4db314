// Lookup responses of the station API (docs/API.md): GET /whoami, GET /spools (a page of the catalog),
// GET /spools/{id}/transactions (a spool's history) and GET /reorder. The server writes them with to_json; a client
// reads them with from_json (strict: a missing or mistyped field throws) or, without exceptions, with
// parse<T>(body) from api.hpp. Optional text fields travel as null when empty.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/domain/reorder.hpp"
#include "sync/domain/spool.hpp"
#include "sync/protocol/batch.hpp"
#include "sync/protocol/catalog.hpp"

namespace batchivo::wire {

// GET /whoami
struct WhoAmIResponse {
    std::string device_id;
    std::string device_name;
    std::string tenant_id;
    std::string tenant_slug;
    std::string server_time;  // ISO-8601 UTC
};

// GET /spools?q=&material=&status=&low_stock=&limit=&offset=
struct SpoolsPageResponse {
    std::vector<CatalogSpool> spools;
    int total = 0;  // matches before paging
    int limit = 0;
    int offset = 0;
};

// One inventory_transactions row with the station columns (the server's store row, also its wire form).
// tx.tenant_id, tx.reference_id and tx.user_id are not sent.
struct HistoryTransaction {
    InventoryTransaction tx;  // id, spool_id (sent as "spool_uuid"), type, quantity_grams, reference_type, notes,
                              // created_at
    std::string client_id;
    std::string device_id;
    std::optional<int64_t> device_seq;
    std::string device_time;
    std::optional<WireMeasurement> measurement;
    bool weight_applied = true;
    std::optional<int> resulting_weight_g;
    std::string occurred_at;  // device_time on the server's clock (ISO-8601); empty for rows without one
};

// GET /spools/{id}/transactions?limit=
struct SpoolHistoryResponse {
    CatalogSpool spool;
    std::vector<HistoryTransaction> transactions;  // newest first
};

// GET /reorder: one line per reorder setting (batchivo::ReorderLine from sync/domain/reorder.hpp).
struct ReorderResponse {
    std::vector<ReorderLine> lines;
};

void to_json(nlohmann::json& j, const WhoAmIResponse& v);
void from_json(const nlohmann::json& j, WhoAmIResponse& v);
void to_json(nlohmann::json& j, const SpoolsPageResponse& v);
void from_json(const nlohmann::json& j, SpoolsPageResponse& v);
void to_json(nlohmann::json& j, const HistoryTransaction& v);
void from_json(const nlohmann::json& j, HistoryTransaction& v);
void to_json(nlohmann::json& j, const SpoolHistoryResponse& v);
void from_json(const nlohmann::json& j, SpoolHistoryResponse& v);
void to_json(nlohmann::json& j, const ReorderResponse& v);
void from_json(const nlohmann::json& j, ReorderResponse& v);

}  // namespace batchivo::wire

namespace batchivo {
// ReorderLine lives in the domain; its JSON form belongs to the wire protocol (found by argument-dependent lookup).
void to_json(nlohmann::json& j, const ReorderLine& v);
void from_json(const nlohmann::json& j, ReorderLine& v);
}  // namespace batchivo

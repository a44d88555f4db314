// batchivo-central's station API (docs/API.md): pairing, transaction batches and catalog deltas over an
// HttpClient, each returning the retry classification plus the parsed body on success. Stateless functions; the
// caller owns the client. No exceptions escape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sync/http/http_client.hpp"
#include "sync/engine/retry_policy.hpp"
#include "sync/protocol/wire.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::sync {

template <class T>
struct ApiResult {
    Classification cls;
    std::optional<T> value;  // set when cls.what == Success and the body parsed
    int http_status = 0;     // 0 when no HTTP answer arrived (network, timeout, TLS)
    bool ok() const { return cls.what == Disposition::Success && value.has_value(); }
};

std::string api_path(std::string_view endpoint);  // kApiPrefix + endpoint

ApiResult<wire::PairResponse> api_pair(HttpClient& http, const wire::PairRequest& req, int64_t now_ms);
ApiResult<wire::TxBatchResponse> api_post_transactions(HttpClient& http, const std::string& token,
                                                       const wire::TxBatch& batch, int64_t now_ms);
// GET /catalog. With `if_none_match` (a tag from an earlier answer for the same since/limit), a 304 answer is a
// success: an empty delta (next_cursor = since, server_time from the Date header when present) with
// tag->not_modified set. tag (optional) receives the answer's ETag.
struct CatalogTag {
    std::string etag;
    bool not_modified = false;
};
ApiResult<wire::CatalogDelta> api_get_catalog(HttpClient& http, const std::string& token, const std::string& since,
                                              int limit, int64_t now_ms, const std::string& if_none_match = "",
                                              CatalogTag* tag = nullptr);

// An outbox record as the wire item the server applies exactly once (client_id = the record's UUID).
wire::TxItem to_wire_item(const OutboxRecord& r);

}  // namespace batchivo::sync

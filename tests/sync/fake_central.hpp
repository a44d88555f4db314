// A small in-memory stand-in for central's station API, behind the ScriptedHttpClient: idempotent apply by
// client id (same content -> duplicate, other content -> rejected conflict), unknown spools rejected, weighings set
// the weight, usages subtract, catalog deltas with a numeric cursor. For the engine's unit tests; the reliability
// tests use the real CentralServer.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/http/http_client.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/protocol/wire.hpp"

namespace batchivo::test {

class FakeCentral {
public:
    std::string token = "tok-1";
    std::string tenant_id = "11111111-1111-4111-8111-111111111111";

    struct Applied {
        std::string body;  // canonical JSON of the item (without device_time, which may differ? no: exact)
        int64_t seq = 0;
    };

    std::string add_spool(const std::string& spool_id, int initial, int current) {
        std::lock_guard lk(mu);
        Spool s;
        s.id = new_uuid_v4();
        s.tenant_id = tenant_id;
        s.spool_id = spool_id;
        s.brand = "Acme";
        s.material_name = "PLA";
        s.initial_weight_g = initial;
        s.current_weight_g = current;
        spools[s.id] = s;
        changes.push_back(s.id);
        return s.id;
    }
    void delete_spool(const std::string& id) {
        std::lock_guard lk(mu);
        spools.erase(id);
        deleted.push_back({changes.size(), id});
        changes.push_back("");
    }

    sync::HttpResponse handle(const sync::HttpRequest& req) {
        std::lock_guard lk(mu);
        const std::string prefix = wire::kApiPrefix;
        if (req.bearer_token != token) return err(401, "unauthorized", "bad token");
        if (req.method == "POST" && req.target == prefix + "/transactions") return transactions(req.body);
        if (req.method == "GET" && req.target.rfind(prefix + "/catalog?", 0) == 0) return catalog(req.target);
        return err(404, "not_found", "no such endpoint");
    }

    std::mutex mu;
    std::map<std::string, Spool> spools;
    std::vector<std::string> changes;  // change log: spool ids ("" = a deletion entry)
    std::vector<std::pair<size_t, std::string>> deleted;
    std::map<std::string, Applied> applied;  // client id -> content
    std::vector<std::string> apply_order;    // client ids in the order they were applied
    std::vector<int64_t> seq_order;
    std::set<std::string> poison;            // client ids that make the whole request a 400
    int batches = 0;
    int max_batch_items = 0;                 // the largest batch received

private:
    static sync::HttpResponse err(int status, const std::string& code, const std::string& msg) {
        return sync::ScriptedHttpClient::status(status, nlohmann::json(wire::ApiError{code, msg}).dump());
    }
    sync::HttpResponse transactions(const std::string& body) {
        wire::TxBatch b;
        try {
            b = nlohmann::json::parse(body).get<wire::TxBatch>();
        } catch (const std::exception& e) {
            return err(400, "invalid_json", e.what());
        }
        for (const auto& it : b.items)
            if (poison.count(it.client_id)) return err(400, "invalid_item", "item " + it.client_id + " is malformed");
        ++batches;
        max_batch_items = std::max(max_batch_items, static_cast<int>(b.items.size()));
        wire::TxBatchResponse resp;
        for (const auto& it : b.items) {
            wire::TxResult r;
            r.client_id = it.client_id;
            const std::string content = nlohmann::json(it).dump();
            auto a = applied.find(it.client_id);
            auto sp = spools.find(it.spool_uuid);
            if (a != applied.end()) {
                if (a->second.body == content) {
                    r.status = "duplicate";
                    if (sp != spools.end()) r.spool_weight_g = sp->second.current_weight_g;
                } else {
                    r.status = "rejected";
                    r.code = "conflict";
                    r.reason = "same id, different content";
                }
            } else if (sp == spools.end()) {
                r.status = "rejected";
                r.code = "unknown_spool";
                r.reason = "no such spool in this tenant";
            } else {
                int w = it.measurement ? static_cast<int>(std::lround(it.measurement->net_g))
                                       : sp->second.current_weight_g + it.quantity_grams;
                if (w < 0 || w > sp->second.initial_weight_g) {
                    r.status = "rejected";
                    r.code = "weight_constraint";
                    r.reason = "resulting weight out of range";
                } else {
                    sp->second.current_weight_g = w;
                    applied[it.client_id] = {content, it.device_seq};
                    apply_order.push_back(it.client_id);
                    seq_order.push_back(it.device_seq);
                    r.status = "applied";
                    r.spool_weight_g = w;
                }
            }
            resp.results.push_back(r);
        }
        return sync::ScriptedHttpClient::status(200, nlohmann::json(resp).dump());
    }
    sync::HttpResponse catalog(const std::string& target) {
        size_t since = 0;
        auto p = target.find("since=");
        if (p != std::string::npos) {
            std::string v = target.substr(p + 6, target.find('&', p) - p - 6);
            if (!v.empty()) since = std::stoul(v);
        }
        size_t limit = 2;  // small pages so paging is exercised
        wire::CatalogDelta d;
        if (since == 0) d.material_types.push_back({"22222222-2222-4222-8222-222222222222", "PLA", "{}"});
        size_t i = since;
        std::set<std::string> seen;
        for (; i < changes.size() && d.spools.size() + d.deleted_spools.size() < limit; ++i) {
            if (changes[i].empty()) {
                for (auto& [idx, id] : deleted)
                    if (idx == i) d.deleted_spools.push_back(id);
            } else if (auto s = spools.find(changes[i]); s != spools.end() && !seen.count(s->first)) {
                seen.insert(s->first);
                d.spools.push_back({s->second, stock_info(s->second)});
            }
        }
        d.next_cursor = std::to_string(i);
        d.has_more = i < changes.size();
        d.server_time = "2026-11-25T12:00:00.000Z";
        return sync::ScriptedHttpClient::status(200, nlohmann::json(d).dump());
    }
};

}  // namespace batchivo::test

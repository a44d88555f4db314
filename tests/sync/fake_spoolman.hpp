// An in-process fake Spoolman (cpp-httplib on 127.0.0.1, plain HTTP) following Spoolman v0.26's REST API as
// described in /work/shared/docs/reference.md §3: GET /api/v1/info, GET /api/v1/spool (JSON array, limit/offset,
// x-total-count, archived spools only with allow_archived), GET/PATCH /api/v1/spool/{id} (remaining_weight sets
// used_weight = max(initial - v, 0), 400 without an initial weight; extra merges per key, a key must be defined
// first with POST /api/v1/field/spool/{key}), PUT /api/v1/spool/{id}/use (a plain increment: a replay
// double-counts). Faults for contract tests: 429 for the next N requests, and "apply, then lose the answer" (the
// change is applied, then the handler stalls past the client's timeout).
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "fake_http_server.hpp"

namespace batchivo::test {

class FakeSpoolman : public FakeHttpServer {
public:
    FakeSpoolman() {
        using nlohmann::json;
        svr_.Get("/api/v1/info", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"version":"0.26.0","debug_mode":false,"automatic_backups":true})", "application/json");
        });
        svr_.Get("/api/v1/spool", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::lock_guard lk(mu);
            ++list_calls;
            if (fail_list) {
                res.status = 500;
                res.set_content(R"({"message":"internal error"})", "application/json");
                return;
            }
            const bool archived = req.has_param("allow_archived") && req.get_param_value("allow_archived") == "true";
            json all = json::array();
            for (auto& [id, s] : spools)
                if (archived || !s.value("archived", false)) all.push_back(render(s));
            const size_t total = all.size();
            size_t off = req.has_param("offset") ? std::stoul(req.get_param_value("offset")) : 0;
            size_t lim = req.has_param("limit") ? std::stoul(req.get_param_value("limit")) : total;
            json page = json::array();
            for (size_t i = off; i < total && i < off + lim; ++i) page.push_back(all[i]);
            res.set_header("x-total-count", std::to_string(total));
            res.set_content(page.dump(), "application/json");
        });
        svr_.Get(R"(/api/v1/spool/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::lock_guard lk(mu);
            auto it = spools.find(std::stoll(req.matches[1]));
            if (it == spools.end()) return not_found(res);
            res.set_content(render(it->second).dump(), "application/json");
        });
        svr_.Post(R"(/api/v1/field/spool/(\w+))", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::lock_guard lk(mu);
            fields.insert(req.matches[1]);
            res.set_content("[]", "application/json");
        });
        svr_.Patch(R"(/api/v1/spool/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::unique_lock lk(mu);
            auto it = spools.find(std::stoll(req.matches[1]));
            if (it == spools.end()) return not_found(res);
            json& s = it->second;
            const json body = json::parse(req.body);
            if (body.contains("extra"))
                for (auto& [k, v] : body["extra"].items())
                    if (!fields.count(k)) {
                        res.status = 400;
                        res.set_content(json{{"message", "Unknown extra field " + k + "."}}.dump(), "application/json");
                        return;
                    }
            if (body.contains("remaining_weight")) {
                const double init = initial(s);
                if (init <= 0) {
                    res.status = 400;
                    res.set_content(R"({"message":"Cannot set remaining weight without initial weight."})",
                                    "application/json");
                    return;
                }
                s["used_weight"] = std::max(init - body["remaining_weight"].get<double>(), 0.0);
            }
            if (body.contains("extra"))
                for (auto& [k, v] : body["extra"].items()) s["extra"][k] = v;
            ++patches;
            const std::string out = render(s).dump();
            if (lose_next_answers > 0) {  // applied; the answer never arrives in time
                --lose_next_answers;
                ++lost_answers;
                lk.unlock();
                std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms));
            }
            res.set_content(out, "application/json");
        });
        svr_.Put(R"(/api/v1/spool/(\d+)/use)", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lk(mu);
            auto it = spools.find(std::stoll(req.matches[1]));
            if (it == spools.end()) return not_found(res);
            const json body = json::parse(req.body);
            json& s = it->second;
            s["used_weight"] = std::max(s["used_weight"].get<double>() + body.value("use_weight", 0.0), 0.0);
            res.set_content(render(s).dump(), "application/json");
        });
        serve();
    }
    ~FakeSpoolman() { stop_serving(); }

    // A spool with a filament and vendor; initial/used net grams; tare on the spool (0 = none).
    int64_t add_spool(double initial_g, double used_g, double spool_tare = 0, bool archived = false) {
        std::lock_guard lk(mu);
        const int64_t id = next_id++;
        nlohmann::json s{{"id", id},
                         {"registered", "2026-01-02T03:04:05"},
                         {"filament",
                          {{"id", 7},
                           {"name", "Galaxy Black"},
                           {"material", "PLA"},
                           {"weight", 1000.0},
                           {"spool_weight", 180.0},
                           {"color_hex", "1a2b3c"},
                           {"vendor", {{"id", 3}, {"name", "Prusament"}, {"empty_spool_weight", 200.0}}}}},
                         {"initial_weight", initial_g},
                         {"used_weight", used_g},
                         {"location", "Shelf A"},
                         {"archived", archived},
                         {"extra", nlohmann::json::object()}};
        if (spool_tare > 0) s["spool_weight"] = spool_tare;
        spools[id] = s;
        return id;
    }
    double remaining(int64_t id) {
        std::lock_guard lk(mu);
        return render(spools.at(id))["remaining_weight"].get<double>();
    }
    void use(int64_t id, double g) {  // a concurrent edit made in Spoolman by someone else
        std::lock_guard lk(mu);
        auto& s = spools.at(id);
        s["used_weight"] = std::max(s["used_weight"].get<double>() + g, 0.0);
    }

    std::mutex mu;
    std::map<int64_t, nlohmann::json> spools;
    std::set<std::string> fields;
    int64_t next_id = 1;
    int patches = 0;
    int list_calls = 0;
    bool fail_list = false;  // the spool list answers 500 (under mu)
    int lost_answers = 0;
    std::atomic<int> too_many_next{0};  // answer 429 to this many requests
    int lose_next_answers = 0;          // apply the next PATCHes, then stall past the client's timeout
    int stall_ms = 1500;

private:
    static double initial(const nlohmann::json& s) {
        if (s.contains("initial_weight") && s["initial_weight"].is_number()) return s["initial_weight"].get<double>();
        const auto& f = s["filament"];
        return f.contains("weight") && f["weight"].is_number() ? f["weight"].get<double>() : 0.0;
    }
    static nlohmann::json render(nlohmann::json s) {
        s["remaining_weight"] = std::max(initial(s) - s["used_weight"].get<double>(), 0.0);
        return s;
    }
    static void not_found(httplib::Response& res) {
        res.status = 404;
        res.set_content(R"({"message":"No spool with that ID was found."})", "application/json");
    }
    bool fault(httplib::Response& res) {
        if (too_many_next.load() > 0) {
            --too_many_next;
            res.status = 429;
            res.set_content(R"({"message":"Too many requests"})", "application/json");
            return true;
        }
        return false;
    }
};

}  // namespace batchivo::test

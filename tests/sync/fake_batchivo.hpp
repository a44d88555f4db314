// An in-process fake of a stock Batchivo server (cpp-httplib on 127.0.0.1, plain HTTP) following Batchivo's backend
// API 0.2.0 on `main` (techize/batchivo, backend/app, read at commit 0230064; summarised in
// /work/shared/docs/reference.md §2):
//   POST /api/v1/auth/login {"email","password"} -> {"access_token","refresh_token","token_type":"bearer"}
//   POST /api/v1/auth/refresh {"refresh_token"} -> a new pair (rotation: the old refresh token is spent)
//   GET  /api/v1/users/me -> {id,email,name,tenant_id,tenant_name,...} (the user's OLDEST membership)
//   GET  /api/v1/spools?page=&page_size=(<=100) -> {"total","spools":[...],"page","page_size"}
//   GET|PUT /api/v1/spools/{uuid}  PUT {"current_weight": net g} (absolute, last write wins, no audit row)
// Bearer JWTs (HS256-shaped, `exp` claim, 24 h); X-Tenant-ID picks the tenant (403 when not a member; without it
// the oldest membership); errors {"detail": ...}; 429 without Retry-After ({"error": ...}, as slowapi answers).
// Faults for contract tests: 429 for the next N requests, access tokens expired server-side (401), refresh tokens
// revoked, issued tokens already past `exp`, and "apply the PUT, then lose the answer" (stall past the client's
// timeout). Not a Batchivo: no database, no real signatures.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_http_server.hpp"

namespace batchivo::test {

class FakeBatchivo : public FakeHttpServer {
public:
    struct Tenant {
        std::string id, name;
    };
    struct User {
        std::string id, email, password;
        std::vector<std::string> tenants;  // memberships, oldest first
    };

    FakeBatchivo() {
        using nlohmann::json;
        svr_.Post("/api/v1/auth/login", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::lock_guard lk(mu);
            ++logins;
            json body;
            try {
                body = json::parse(req.body);
            } catch (const std::exception&) {
                return detail(res, 422, "invalid body");
            }
            for (auto& [id, u] : users)
                if (u.email == body.value("email", "") && u.password == body.value("password", ""))
                    return issue(res, id);
            detail(res, 401, "Incorrect email or password");
        });
        svr_.Post("/api/v1/auth/refresh", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::lock_guard lk(mu);
            ++refreshes;
            std::string rt;
            try {
                rt = json::parse(req.body).value("refresh_token", "");
            } catch (const std::exception&) {
            }
            auto it = refresh_tokens.find(rt);
            if (it == refresh_tokens.end()) return detail(res, 401, "Invalid refresh token");
            const std::string user = it->second;
            refresh_tokens.erase(it);  // rotation
            issue(res, user);
        });
        svr_.Get("/api/v1/users/me", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::lock_guard lk(mu);
            const User* u = authed(req, res);
            if (!u) return;
            json out{{"id", u->id}, {"email", u->email}, {"name", u->email.substr(0, u->email.find('@'))},
                     {"tenant_id", nullptr}, {"tenant_name", nullptr}, {"currency_code", "GBP"},
                     {"currency_symbol", "\u00a3"}, {"is_platform_admin", false}};
            if (!u->tenants.empty()) {
                out["tenant_id"] = u->tenants.front();
                out["tenant_name"] = tenants.at(u->tenants.front()).name;
            }
            res.set_content(out.dump(), "application/json");
        });
        svr_.Get("/api/v1/spools", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::lock_guard lk(mu);
            std::string tenant;
            if (!scoped(req, res, tenant)) return;
            ++list_calls;
            const int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
            const int size = req.has_param("page_size") ? std::stoi(req.get_param_value("page_size")) : 20;
            if (page < 1 || size < 1 || size > 100)
                return detail(res, 422, "page_size: Input should be less than or equal to 100");
            json all = json::array();
            for (auto& [id, s] : spools)
                if (s["tenant_id"] == tenant) all.push_back(s);
            json out{{"total", all.size()}, {"spools", json::array()}, {"page", page}, {"page_size", size}};
            for (size_t i = static_cast<size_t>((page - 1) * size); i < all.size() && i < static_cast<size_t>(page * size);
                 ++i)
                out["spools"].push_back(all[i]);
            res.set_content(out.dump(), "application/json");
        });
        svr_.Get(R"(/api/v1/spools/([0-9a-fA-F-]+))", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::lock_guard lk(mu);
            std::string tenant;
            if (!scoped(req, res, tenant)) return;
            auto it = spools.find(req.matches[1]);
            if (it == spools.end() || it->second["tenant_id"] != tenant) return detail(res, 404, "Spool not found");
            res.set_content(it->second.dump(), "application/json");
        });
        svr_.Put(R"(/api/v1/spools/([0-9a-fA-F-]+))", [this](const httplib::Request& req, httplib::Response& res) {
            if (fault(res)) return;
            std::unique_lock lk(mu);
            std::string tenant;
            if (!scoped(req, res, tenant)) return;
            auto it = spools.find(req.matches[1]);
            if (it == spools.end() || it->second["tenant_id"] != tenant) return detail(res, 404, "Spool not found");
            json body;
            try {
                body = json::parse(req.body);
            } catch (const std::exception&) {
                return detail(res, 422, "invalid body");
            }
            if (body.contains("current_weight")) {
                if (!body["current_weight"].is_number() || body["current_weight"].get<double>() < 0) {
                    res.status = 422;
                    res.set_content(R"({"detail":[{"loc":["body","current_weight"],"msg":"Input should be greater than or equal to 0","type":"greater_than_equal"}]})",
                                    "application/json");
                    return;
                }
                set_weight(it->second, body["current_weight"].get<double>());
            }
            ++puts;
            const std::string out = it->second.dump();
            if (lose_next_answers > 0) {  // applied; the answer never arrives in time
                --lose_next_answers;
                ++lost_answers;
                lk.unlock();
                std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms));
            }
            res.set_content(out, "application/json");
        });
        serve();
    }
    ~FakeBatchivo() { stop_serving(); }


    std::string add_tenant(const std::string& name) {
        std::lock_guard lk(mu);
        const std::string id = make_uuid(0xA000 + tenants.size());
        tenants[id] = {id, name};
        return id;
    }
    std::string add_user(const std::string& email, const std::string& password, std::vector<std::string> memberships) {
        std::lock_guard lk(mu);
        const std::string id = make_uuid(0xB000 + users.size());
        users[id] = {id, email, password, std::move(memberships)};
        return id;
    }
    // A spool with a filament type; net grams.
    std::string add_spool(const std::string& tenant, double initial_g, double current_g, double empty_g = 220) {
        std::lock_guard lk(mu);
        const int n = next_spool++;
        const std::string id = make_uuid(0xC0000 + n);
        char code[32];
        std::snprintf(code, sizeof code, "FIL-%03d", n);
        nlohmann::json s{{"id", id},
                         {"tenant_id", tenant},
                         {"spool_id", code},
                         {"filament_type_id", make_uuid(0xD000)},
                         {"initial_weight", initial_g},
                         {"current_weight", current_g},
                         {"empty_spool_weight", empty_g},
                         {"purchase_date", nullptr},
                         {"purchase_price", 19.99},
                         {"supplier", "Filament Shop"},
                         {"storage_location", "Rack 2"},
                         {"qr_code_id", nullptr},
                         {"is_active", true},
                         {"is_labeled", false},
                         {"created_at", "2026-01-02T03:04:05.000000Z"},
                         {"updated_at", stamp()},
                         {"filament_type",
                          {{"id", make_uuid(0xD000)},
                           {"tenant_id", tenant},
                           {"material_type_id", make_uuid(0xE000)},
                           {"brand", "Polymaker"},
                           {"color", "Jet Black"},
                           {"color_hex", "1A1A1A"},
                           {"finish", "matte"},
                           {"diameter", 1.75},
                           {"material_type_code", "PLA"},
                           {"material_type_name", "Polylactic Acid"}}}};
        set_weight(s, current_g);
        spools[id] = s;
        return id;
    }
    double weight(const std::string& id) {
        std::lock_guard lk(mu);
        return spools.at(id)["current_weight"].get<double>();
    }
    void edit(const std::string& id, double current_g) {  // someone else changes the spool in Batchivo's web app
        std::lock_guard lk(mu);
        set_weight(spools.at(id), current_g);
    }
    void expire_access_tokens() {  // every access token issued so far now answers 401 (its exp still looks valid)
        std::lock_guard lk(mu);
        access_tokens.clear();
    }
    void revoke_refresh_tokens() {
        std::lock_guard lk(mu);
        refresh_tokens.clear();
    }

    std::mutex mu;
    std::map<std::string, Tenant> tenants;
    std::map<std::string, User> users;
    std::map<std::string, nlohmann::json> spools;  // by UUID
    std::map<std::string, std::string> access_tokens;   // token -> user id
    std::map<std::string, std::string> refresh_tokens;  // token -> user id
    int logins = 0, refreshes = 0, puts = 0, list_calls = 0, lost_answers = 0, unauthorized = 0;
    std::atomic<int> too_many_next{0};  // answer 429 (no Retry-After) to this many requests
    int lose_next_answers = 0;          // apply the next PUTs, then stall past the client's timeout
    int stall_ms = 1500;
    int64_t token_lifetime_s = 24 * 3600;  // negative: issue tokens already expired
    std::vector<std::string> tenant_headers;  // X-Tenant-ID of every authenticated request ("" when absent)

private:
    static std::string make_uuid(size_t n) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "0000%04zx-0000-4000-8000-%012zx", n & 0xffff, n);
        return buf;
    }
    std::string stamp() {
        char buf[40];
        std::snprintf(buf, sizeof buf, "2026-03-01T10:%02d:%02d.%06dZ", (clock_ / 60) % 60, clock_ % 60, clock_);
        ++clock_;
        return buf;
    }
    void set_weight(nlohmann::json& s, double w) {
        s["current_weight"] = w;
        s["remaining_weight"] = w;
        const double init = s["initial_weight"].get<double>();
        s["remaining_percentage"] = init > 0 ? w / init * 100.0 : 0.0;
        s["updated_at"] = stamp();
    }
    static std::string b64url(const std::string& in) {
        static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        std::string out;
        size_t i = 0;
        for (; i + 2 < in.size(); i += 3) {
            const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
            out += t[v >> 18 & 63], out += t[v >> 12 & 63], out += t[v >> 6 & 63], out += t[v & 63];
        }
        if (i + 1 == in.size()) {
            const unsigned v = (unsigned char)in[i] << 16;
            out += t[v >> 18 & 63], out += t[v >> 12 & 63];
        } else if (i + 2 == in.size()) {
            const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
            out += t[v >> 18 & 63], out += t[v >> 12 & 63], out += t[v >> 6 & 63];
        }
        return out;
    }
    std::string jwt(const std::string& user, const char* type) {
        const int64_t now =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        const nlohmann::json claims{{"sub", user}, {"type", type}, {"exp", now + token_lifetime_s}, {"n", ++serial_}};
        return b64url(R"({"alg":"HS256","typ":"JWT"})") + "." + b64url(claims.dump()) + "." + b64url("sig" + user);
    }
    void issue(httplib::Response& res, const std::string& user) {
        const std::string a = jwt(user, "access"), r = jwt(user, "refresh");
        access_tokens[a] = user;
        refresh_tokens[r] = user;
        res.set_content(nlohmann::json{{"access_token", a}, {"refresh_token", r}, {"token_type", "bearer"}}.dump(),
                        "application/json");
    }
    static void detail(httplib::Response& res, int status, const std::string& msg) {
        res.status = status;
        res.set_content(nlohmann::json{{"detail", msg}}.dump(), "application/json");
    }
    const User* authed(const httplib::Request& req, httplib::Response& res) {
        const std::string h = req.get_header_value("Authorization");
        const std::string tok = h.rfind("Bearer ", 0) == 0 ? h.substr(7) : std::string();
        auto it = access_tokens.find(tok);
        if (it == access_tokens.end()) {
            ++unauthorized;
            detail(res, 401, "Could not validate credentials");
            return nullptr;
        }
        return &users.at(it->second);
    }
    bool scoped(const httplib::Request& req, httplib::Response& res, std::string& tenant) {
        const User* u = authed(req, res);
        if (!u) return false;
        const std::string t = req.get_header_value("X-Tenant-ID");
        tenant_headers.push_back(t);
        if (t.empty()) {
            if (u->tenants.empty()) {
                detail(res, 403, "User has no tenant");
                return false;
            }
            tenant = u->tenants.front();
            return true;
        }
        if (std::find(u->tenants.begin(), u->tenants.end(), t) == u->tenants.end()) {
            detail(res, 403, "Not a member of this tenant");
            return false;
        }
        tenant = t;
        return true;
    }
    bool fault(httplib::Response& res) {
        if (too_many_next.load() > 0) {
            --too_many_next;
            res.status = 429;  // slowapi's answer: no Retry-After header
            res.set_content(R"({"error":"Rate limit exceeded: 5 per 1 minute"})", "application/json");
            return true;
        }
        return false;
    }

    int clock_ = 0;
    int next_spool = 1;
    int serial_ = 0;
};

}  // namespace batchivo::test

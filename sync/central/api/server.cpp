#include "sync/central/api/server.hpp"

#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "sync/domain/stock.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

namespace batchivo::central {

using nlohmann::json;

bool is_loopback_host(const std::string& h) {
    return h == "127.0.0.1" || h == "localhost" || h == "::1" || h == "[::1]" || h.rfind("127.", 0) == 0;
}

namespace {

class RateLimiter {
public:
    RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
    // 0 when allowed, else seconds to wait.
    int take(const std::string& key) {
        if (rate_ <= 0) return 0;
        std::lock_guard lk(mu_);
        const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
        Bucket& b = it->second;
        if (!inserted) b.tokens = std::min(burst_, b.tokens + (now - b.at) * rate_);
        b.at = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        if (buckets_.size() > 100000) buckets_.clear();  // bounded memory under abuse
        return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
    }

private:
    struct Bucket {
        double tokens;
        double at;
    };
    double rate_, burst_;
    std::mutex mu_;
    std::map<std::string, Bucket> buckets_;
};

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    send_json(res, status, json(wire::ApiError{code, message}));
}

int status_for(const std::string& code) {
    if (code == "not_found") return 404;
    if (code == "invalid_pairing_code" || code == "unauthorized") return 401;
    if (code == "forbidden") return 403;
    return 400;
}

// Strict non-negative integer query parameter.
bool int_param(const httplib::Request& req, const char* name, int lo, int hi, int dflt, int& out, std::string& err) {
    out = dflt;
    if (!req.has_param(name)) return true;
    const std::string v = req.get_param_value(name);
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) {
        err = std::string("query parameter '") + name + "' must be a non-negative integer";
        return false;
    }
    out = std::stoi(v);
    if (out < lo || out > hi) {
        err = std::string("query parameter '") + name + "' must be between " + std::to_string(lo) + " and " + std::to_string(hi);
        return false;
    }
    return true;
}

bool bool_param(const httplib::Request& req, const char* name, bool& out, std::string& err) {
    out = false;
    if (!req.has_param(name)) return true;
    const std::string v = req.get_param_value(name);
    if (v == "true" || v == "1") out = true;
    else if (v == "false" || v == "0" || v.empty()) out = false;
    else {
        err = std::string("query parameter '") + name + "' must be true or false";
        return false;
    }
    return true;
}

json tx_record_json(const TxRecord& r) {
    json j{{"id", r.tx.id},
           {"spool_uuid", r.tx.spool_id},
           {"type", std::string(to_string(r.tx.type))},
           {"quantity_grams", r.tx.quantity_grams},
           {"reference_type", r.tx.reference_type.empty() ? json(nullptr) : json(r.tx.reference_type)},
           {"notes", r.tx.notes.empty() ? json(nullptr) : json(r.tx.notes)},
           {"created_at", r.tx.created_at},
           {"client_id", r.client_id.empty() ? json(nullptr) : json(r.client_id)},
           {"device_id", r.device_id.empty() ? json(nullptr) : json(r.device_id)},
           {"device_seq", r.device_seq ? json(*r.device_seq) : json(nullptr)},
           {"device_time", r.device_time.empty() ? json(nullptr) : json(r.device_time)},
           {"occurred_at", r.occurred_at.empty() ? json(nullptr) : json(r.occurred_at)},
           {"measurement", r.measurement ? json(*r.measurement) : json(nullptr)},
           {"weight_applied", r.weight_applied},
           {"resulting_weight_g", r.resulting_weight_g ? json(*r.resulting_weight_g) : json(nullptr)}};
    return j;
}

}  // namespace

struct CentralServer::Impl {
    std::shared_ptr<Store> store;
    std::unique_ptr<httplib::Server> svr;
    std::thread thread;
    ServerOptions opts;
    int port = 0;
    std::unique_ptr<RateLimiter> device_limiter, pair_limiter, auth_fail_limiter;

    std::optional<DeviceAuth> auth(const httplib::Request& req, httplib::Response& res) {
        const std::string h = req.get_header_value("Authorization");
        if (h.size() <= 7 || h.compare(0, 7, "Bearer ") != 0) {
            send_error(res, 401, "unauthorized", "missing bearer token");
            return std::nullopt;
        }
        auto dev = store->authenticate(h.substr(7));
        if (!dev) {
            if (int wait = auth_fail_limiter->take("ip:" + req.remote_addr)) {
                res.set_header("Retry-After", std::to_string(wait));
                send_error(res, 429, "rate_limited", "too many requests with invalid tokens; retry after " + std::to_string(wait) + " s");
                return std::nullopt;
            }
            send_error(res, 401, "unauthorized", "unknown or revoked device token");
            return std::nullopt;
        }
        if (int wait = device_limiter->take(dev->device_id)) {
            res.set_header("Retry-After", std::to_string(wait));
            send_error(res, 429, "rate_limited", "too many requests from this device; retry after " + std::to_string(wait) + " s");
            return std::nullopt;
        }
        return dev;
    }

    template <class F>
    void guarded(httplib::Response& res, F&& f) {
        try {
            f();
        } catch (const StoreError& e) {
            send_error(res, status_for(e.code), e.code, e.what());
        } catch (const json::exception& e) {
            send_error(res, 400, "invalid_request", std::string("malformed JSON body: ") + e.what());
        } catch (const std::invalid_argument& e) {
            send_error(res, 400, "invalid_request", e.what());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "batchivo-central: internal error: %s\n", e.what());
            send_error(res, 500, "internal", "internal server error");
        }
    }

    void routes() {
        const std::string p = wire::kApiPrefix;
        svr->set_payload_max_length(wire::kMaxBodyBytes);
        svr->set_keep_alive_timeout(2);
        svr->set_tcp_nodelay(true);  // responses are written in pieces; Nagle + delayed ACK would add ~40 ms each
        svr->set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return;
            if (res.status == 413) send_error(res, 413, "payload_too_large", "request body exceeds 1 MiB");
            else if (res.status == 404) send_error(res, 404, "not_found", "no such endpoint");
            else if (res.status == 405) send_error(res, 405, "method_not_allowed", "method not allowed");
            else send_error(res, res.status, "http_error", "HTTP error " + std::to_string(res.status));
        });
        svr->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            send_error(res, 500, "internal", "internal server error");
        });

        svr->Get(p + "/health", [](const httplib::Request&, httplib::Response& res) {
            send_json(res, 200, json{{"status", "ok"}, {"server_time", iso8601_utc_ms(now_epoch_ms())}});
        });

        svr->Post(p + "/pair", [this](const httplib::Request& req, httplib::Response& res) {
            if (int wait = pair_limiter->take("ip:" + req.remote_addr)) {
                res.set_header("Retry-After", std::to_string(wait));
                send_error(res, 429, "rate_limited", "too many pairing attempts; retry after " + std::to_string(wait) + " s");
                return;
            }
            guarded(res, [&] {
                const auto body = json::parse(req.body).get<wire::PairRequest>();
                const auto r = store->redeem_pairing(body.code, body.device_name);
                send_json(res, 200, json(r));
            });
        });

        svr->Get(p + "/whoami", [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                auto dev = auth(req, res);
                if (!dev) return;
                send_json(res, 200, json{{"device_id", dev->device_id}, {"device_name", dev->name},
                                         {"tenant_id", dev->tenant_id}, {"tenant_slug", dev->tenant_slug},
                                         {"server_time", iso8601_utc_ms(now_epoch_ms())}});
            });
        });

        svr->Get(p + "/catalog", [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                auto dev = auth(req, res);
                if (!dev) return;
                int limit = 0;
                std::string err;
                if (!int_param(req, "limit", 1, wire::kMaxCatalogPage, 500, limit, err)) {
                    send_error(res, 400, "invalid_request", err);
                    return;
                }
                const auto d = store->catalog(dev->tenant_id, req.get_param_value("since"), limit);
                send_json(res, 200, json(d));
            });
        });

        svr->Post(p + "/transactions", [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                auto dev = auth(req, res);
                if (!dev) return;
                const json body = json::parse(req.body);
                if (body.is_object() && body.contains("items") && body["items"].is_array() &&
                    body["items"].size() > static_cast<size_t>(wire::kMaxBatchItems)) {
                    send_error(res, 413, "batch_too_large",
                               "a batch holds at most " + std::to_string(wire::kMaxBatchItems) + " items");
                    return;
                }
                const auto batch = body.get<wire::TxBatch>();
                const auto r = store->apply_batch(*dev, batch);
                send_json(res, 200, json(r));
            });
        });

        svr->Get(p + "/spools", [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                auto dev = auth(req, res);
                if (!dev) return;
                SpoolQuery q;
                std::string err;
                if (!int_param(req, "limit", 1, 500, 50, q.limit, err) || !int_param(req, "offset", 0, 1000000, 0, q.offset, err) ||
                    !bool_param(req, "low_stock", q.low_stock, err)) {
                    send_error(res, 400, "invalid_request", err);
                    return;
                }
                q.q = req.get_param_value("q");
                q.material = req.get_param_value("material");
                q.status = req.get_param_value("status");
                if (q.q.size() > 200) {
                    send_error(res, 400, "invalid_request", "query parameter 'q' is too long");
                    return;
                }
                const auto page = store->search_spools(dev->tenant_id, q);
                json arr = json::array();
                for (const auto& s : page.spools) arr.push_back(wire::spool_to_json(s.spool, s.stock));
                send_json(res, 200, json{{"spools", arr}, {"total", page.total}, {"limit", q.limit}, {"offset", q.offset}});
            });
        });

        svr->Get(p + R"(/spools/([^/]+)/transactions)", [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                auto dev = auth(req, res);
                if (!dev) return;
                const std::string id = req.matches[1];
                if (!is_uuid(id)) {
                    send_error(res, 400, "invalid_request", "spool id must be a UUID");
                    return;
                }
                int limit = 0;
                std::string err;
                if (!int_param(req, "limit", 1, 500, 50, limit, err)) {
                    send_error(res, 400, "invalid_request", err);
                    return;
                }
                auto spool = store->get_spool(dev->tenant_id, id);
                if (!spool) {
                    send_error(res, 404, "not_found", "no spool " + normalize_uuid(id) + " in this tenant");
                    return;
                }
                json arr = json::array();
                for (const auto& t : store->spool_transactions(dev->tenant_id, id, limit)) arr.push_back(tx_record_json(t));
                send_json(res, 200, json{{"spool", wire::spool_to_json(*spool, stock_info(*spool))}, {"transactions", arr}});
            });
        });

        svr->Get(p + "/reorder", [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                auto dev = auth(req, res);
                if (!dev) return;
                json arr = json::array();
                for (const auto& l : store->reorder(dev->tenant_id))
                    arr.push_back(json{{"setting", wire::reorder_to_json(l.setting)},
                                       {"stock_g", l.stock_g},
                                       {"spool_count", l.spool_count},
                                       {"reorder_point_g", l.reorder_point_g},
                                       {"needs_reorder", l.needs_reorder}});
                send_json(res, 200, json{{"lines", arr}});
            });
        });
    }
};

CentralServer::CentralServer(std::shared_ptr<Store> store) : impl_(std::make_unique<Impl>()) {
    impl_->store = std::move(store);
}

CentralServer::~CentralServer() { stop(); }

bool CentralServer::start(const ServerOptions& o, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    if (impl_->svr) return fail("already started");
    // A client that disconnects mid-response makes OpenSSL write to a closed socket; with the default SIGPIPE
    // disposition that would kill the whole process (the kiosk, in demo mode). Ignore it unless someone chose a
    // handler already.
    struct sigaction old {};
    if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
    impl_->opts = o;
    if (o.plain_http) {
        if (!is_loopback_host(o.host)) return fail("plain HTTP is only allowed on a loopback address, not " + o.host);
        impl_->svr = std::make_unique<httplib::Server>();
    } else {
        if (o.cert_file.empty() || o.key_file.empty()) return fail("TLS needs a certificate and a key");
        auto s = std::make_unique<httplib::SSLServer>(o.cert_file.c_str(), o.key_file.c_str());
        if (!s->is_valid()) return fail("cannot load TLS certificate " + o.cert_file + " / key " + o.key_file);
        impl_->svr = std::move(s);
    }
    const int threads = std::max(1, o.threads);
    impl_->svr->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    impl_->device_limiter = std::make_unique<RateLimiter>(o.rate_per_s, o.burst);
    impl_->pair_limiter = std::make_unique<RateLimiter>(o.pair_rate_per_s, o.pair_burst);
    impl_->auth_fail_limiter = std::make_unique<RateLimiter>(o.auth_fail_rate_per_s, o.auth_fail_burst);
    impl_->routes();
    const std::string host = o.host == "localhost" ? "127.0.0.1" : o.host;
    int port = o.port;
    if (port == 0) {
        port = impl_->svr->bind_to_any_port(host);
        if (port <= 0) {
            impl_->svr.reset();
            return fail("cannot bind " + host);
        }
    } else if (!impl_->svr->bind_to_port(host, port)) {
        impl_->svr.reset();
        return fail("cannot bind " + host + ":" + std::to_string(port));
    }
    impl_->port = port;
    impl_->thread = std::thread([this] { impl_->svr->listen_after_bind(); });
    for (int i = 0; i < 500 && !impl_->svr->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return true;
}

int CentralServer::port() const { return impl_->port; }

std::string CentralServer::url() const {
    std::string host = impl_->opts.host;
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    return std::string(impl_->opts.plain_http ? "http://" : "https://") + host + ":" + std::to_string(impl_->port);
}

bool CentralServer::running() const { return impl_->svr && impl_->svr->is_running(); }

void CentralServer::stop() {
    if (!impl_ || !impl_->svr) return;
    impl_->svr->stop();
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->svr.reset();
}

}  // namespace batchivo::central

#include "sync/central/api/catalog_cache.hpp"

#include <nlohmann/json.hpp>

#include "sync/central/common/secrets.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::central {

namespace {

bool same(const Cursor& a, const Cursor& b) { return a.tenant_seq == b.tenant_seq && a.material_seq == b.material_seq; }
bool older(const Cursor& a, const Cursor& b) {
    return a.tenant_seq < b.tenant_seq || (a.tenant_seq == b.tenant_seq && a.material_seq < b.material_seq);
}

std::string dump(const wire::CatalogDelta& d) {
    return nlohmann::json(d).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

constexpr std::string_view kTimeKey = "\"server_time\":\"";

}  // namespace

std::string catalog_etag(const std::string& tenant_id, const Cursor& since, int limit, const Cursor& version) {
    const std::string h = sha256_hex(tenant_id + '|' + format_cursor(since) + '|' + std::to_string(limit) + '|' +
                                     format_cursor(version));
    return "\"c1-" + h.substr(0, 32) + "\"";
}

bool etag_matches(std::string_view inm, std::string_view etag) {
    while (!inm.empty()) {
        const size_t comma = inm.find(',');
        std::string_view tag = inm.substr(0, comma);
        inm = comma == std::string_view::npos ? std::string_view() : inm.substr(comma + 1);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag == "*") return true;
        if (tag.size() > 2 && tag.substr(0, 2) == "W/") tag.remove_prefix(2);
        if (tag == etag) return true;
    }
    return false;
}

CatalogAnswer CatalogCache::answer(StationApiStore& store, CatalogVersionSource* versions, const std::string& tenant_id,
                                   const std::string& since, int limit, std::string_view if_none_match) {
    const auto cur = parse_cursor(since);
    if (!cur) throw StoreError("invalid_cursor", "the 'since' cursor is not one this server issued");
    limit = std::clamp(limit, 1, wire::kMaxCatalogPage);
    CatalogAnswer out;
    if (!versions) {
        out.body = dump(store.catalog(tenant_id, since, limit));
        return out;
    }
    const Cursor version = versions->catalog_version(tenant_id);
    out.etag = catalog_etag(tenant_id, *cur, limit, version);
    if (!if_none_match.empty() && etag_matches(if_none_match, out.etag)) {
        out.status = 304;
        std::lock_guard lk(mu_);
        ++stats_.not_modified;
        return out;
    }
    if (same(*cur, version)) {
        // Nothing changed since the cursor: exactly what the store would answer, without reading it.
        wire::CatalogDelta d;
        d.next_cursor = format_cursor(version);
        d.server_time = iso8601_utc_ms(now_epoch_ms());
        out.body = dump(d);
        std::lock_guard lk(mu_);
        ++stats_.empty;
        return out;
    }
    const Key key{tenant_id, cur->tenant_seq, cur->material_seq, limit};
    {
        std::lock_guard lk(mu_);
        if (auto it = entries_.find(key); it != entries_.end() && same(it->second.version, version)) {
            order_.splice(order_.end(), order_, it->second.order);
            ++stats_.hits;
            out.body = it->second.head + iso8601_utc_ms(now_epoch_ms()) + it->second.tail;
            return out;
        }
        ++stats_.misses;
    }
    // Built after the version was read, so it shows that version or a later one: a newer body under this key is
    // still a correct answer for anyone who read this version, and later readers see a newer version anyway.
    wire::CatalogDelta d = store.catalog(tenant_id, since, limit);
    const std::string time = d.server_time;
    d.server_time.clear();
    std::string body = dump(d);
    const size_t at = body.find(kTimeKey);
    if (at == std::string::npos) {  // cannot happen with the wire type; answer without caching
        d.server_time = time;
        out.body = dump(d);
        return out;
    }
    std::string head = body.substr(0, at + kTimeKey.size());
    std::string tail = body.substr(at + kTimeKey.size());
    out.body = head + time + tail;
    put(key, version, std::move(head), std::move(tail));
    return out;
}

void CatalogCache::put(const Key& k, const Cursor& version, std::string head, std::string tail) {
    std::lock_guard lk(mu_);
    const size_t size = head.size() + tail.size() + std::get<0>(k).size() + 64;
    if (size > max_bytes_ / 4) return;  // a huge page is not worth keeping
    if (auto it = entries_.find(k); it != entries_.end()) {
        if (older(version, it->second.version)) return;  // a slower request must not replace a newer body
        bytes_ -= it->second.head.size() + it->second.tail.size() + std::get<0>(k).size() + 64;
        order_.erase(it->second.order);
        entries_.erase(it);
    }
    while (bytes_ + size > max_bytes_ && !order_.empty()) {
        auto victim = entries_.find(order_.front());
        bytes_ -= victim->second.head.size() + victim->second.tail.size() + std::get<0>(victim->first).size() + 64;
        entries_.erase(victim);
        order_.pop_front();
    }
    order_.push_back(k);
    entries_.emplace(k, Entry{version, std::move(head), std::move(tail), std::prev(order_.end())});
    bytes_ += size;
}

CatalogCache::Stats CatalogCache::stats() const {
    std::lock_guard lk(mu_);
    Stats s = stats_;
    s.entries = entries_.size();
    s.bytes = bytes_;
    return s;
}

}  // namespace batchivo::central

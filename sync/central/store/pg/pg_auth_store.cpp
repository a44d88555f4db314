// PostgreSQL store, AuthStore part: pairing codes, device tokens, revocation.
#include "sync/central/store/pg/pg_store.hpp"

namespace batchivo::central::pg_impl {

PairingCode PgStore::create_pairing_code(const std::string& tenant_id, const std::string& station_name, int ttl) {
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    PairingCode pc{new_pairing_code(), tenant_id, station_name, ""};
    try {
        auto r = c->query("INSERT INTO pairing_codes(tenant_id, code_hash, station_name, expires_at) VALUES "
                          "($1, $2, $3, NOW() + make_interval(secs => $4)) RETURNING iso_utc(expires_at)",
                          {P(tenant_id), P(sha256_hex(pc.code)), P(station_name), PI(ttl)});
        pc.expires_at = r.text(0, 0);
    } catch (const pg::Error& e) {
        throw input_error("cannot create pairing code", e);
    }
    tx.commit();
    return pc;
}

std::vector<DeviceInfo> PgStore::list_devices(const std::string& tenant_id) {
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    auto r = c->query("SELECT id, tenant_id, name, iso_utc(created_at), iso_utc(last_seen_at), iso_utc(revoked_at) "
                      "FROM devices WHERE tenant_id = $1 ORDER BY created_at",
                      {P(tenant_id)});
    std::vector<DeviceInfo> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5)});
    tx.commit();
    return out;
}

bool PgStore::revoke_device(const std::string& tenant_id, const std::string& device_id) {
    const std::string id = normalize_uuid(device_id);
    if (id.empty()) return false;
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    auto r = c->query("UPDATE devices SET revoked_at = NOW() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
                      {P(tenant_id), P(id)});
    tx.commit();
    return r.affected() > 0;
}

wire::PairResponse PgStore::redeem_pairing(const std::string& code, const std::string& device_name) {
    auto c = pool_.get();
    wire::PairResponse out;
    out.token = new_device_token();
    pg::Tx tx(*c);
    auto r = c->query("SELECT device_id, tenant_id, tenant_slug, tenant_name, station_name FROM central_redeem_pairing($1, $2, $3)",
                      {P(sha256_hex(normalize_pairing_code(code))), P(sha256_hex(out.token)), P(device_name)});
    if (r.rows() != 1) throw StoreError("invalid_pairing_code", "the pairing code is unknown, already used or expired");
    tx.commit();
    out.device_id = r.text(0, 0);
    out.tenant_id = r.text(0, 1);
    out.tenant_slug = r.text(0, 2);
    out.tenant_name = r.text(0, 3);
    out.station_name = r.text(0, 4);
    return out;
}

std::optional<DeviceAuth> PgStore::authenticate(const std::string& token) {
    auto c = pool_.get();
    auto r = c->query("SELECT device_id, tenant_id, tenant_slug, device_name FROM central_auth_device($1)",
                      {P(sha256_hex(token))});
    if (r.rows() != 1) return std::nullopt;
    return DeviceAuth{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3)};
}

}  // namespace batchivo::central::pg_impl

// SQLite store, AuthStore part: pairing codes, device tokens, revocation.
#include "sync/central/store/sqlite/sqlite_store.hpp"

namespace batchivo::central::sqlite_impl {

PairingCode SqliteStore::create_pairing_code(const std::string& tenant_id, const std::string& station_name, int ttl) {
    std::lock_guard lk(mu_);
    PairingCode pc{new_pairing_code(), tenant_id, station_name, iso8601_utc_ms(now_epoch_ms() + ttl * 1000LL)};
    sql::Stmt st(db_, "INSERT INTO pairing_codes(id, tenant_id, code_hash, station_name, expires_at) VALUES (?,?,?,?,?)");
    st.bind(1, new_uuid_v7()).bind(2, tenant_id).bind(3, sha256_hex(pc.code)).bind(4, station_name).bind(5, pc.expires_at);
    try {
        st.run();
    } catch (const sql::Error& e) {
        throw StoreError("invalid_input", std::string("cannot create pairing code: ") + e.what());
    }
    return pc;
}

std::vector<DeviceInfo> SqliteStore::list_devices(const std::string& tenant_id) {
    std::lock_guard lk(mu_);
    std::vector<DeviceInfo> out;
    sql::Stmt st(db_, "SELECT id, tenant_id, name, created_at, last_seen_at, revoked_at FROM devices WHERE tenant_id = ? "
                      "ORDER BY created_at");
    st.bind(1, tenant_id);
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
    return out;
}

bool SqliteStore::revoke_device(const std::string& tenant_id, const std::string& device_id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(db_, "UPDATE devices SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL");
    st.bind(1, iso8601_utc_ms(now_epoch_ms())).bind(2, tenant_id).bind(3, normalize_uuid(device_id)).run();
    return db_.changes() > 0;
}

wire::PairResponse SqliteStore::redeem_pairing(const std::string& code, const std::string& device_name) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);
    sql::Stmt f(db_, "SELECT p.id, p.tenant_id, p.station_name, t.slug, t.name FROM pairing_codes p JOIN tenants t ON "
                     "t.id = p.tenant_id WHERE p.code_hash = ? AND p.used_at IS NULL AND p.expires_at > ? AND t.is_active = 1");
    f.bind(1, sha256_hex(normalize_pairing_code(code))).bind(2, iso8601_utc_ms(now_epoch_ms()));
    if (!f.step()) throw StoreError("invalid_pairing_code", "the pairing code is unknown, already used or expired");
    wire::PairResponse r;
    const std::string code_id = f.text(0);
    r.tenant_id = f.text(1);
    r.station_name = f.text(2);
    r.tenant_slug = f.text(3);
    r.tenant_name = f.text(4);
    r.device_id = new_uuid_v7();
    r.token = new_device_token();
    const std::string name = device_name.empty() ? r.station_name : r.station_name + " (" + device_name + ")";
    sql::Stmt d(db_, "INSERT INTO devices(id, tenant_id, name, token_hash, last_seen_at) VALUES (?,?,?,?,?)");
    d.bind(1, r.device_id).bind(2, r.tenant_id).bind(3, name).bind(4, sha256_hex(r.token)).bind(5, iso8601_utc_ms(now_epoch_ms())).run();
    sql::Stmt u(db_, "UPDATE pairing_codes SET used_at = ?, device_id = ? WHERE id = ?");
    u.bind(1, iso8601_utc_ms(now_epoch_ms())).bind(2, r.device_id).bind(3, code_id).run();
    tx.commit();
    return r;
}

std::optional<DeviceAuth> SqliteStore::authenticate(const std::string& token) {
    std::lock_guard lk(mu_);
    sql::Stmt st(db_, "SELECT d.id, d.tenant_id, t.slug, d.name FROM devices d JOIN tenants t ON t.id = d.tenant_id "
                      "WHERE d.token_hash = ? AND d.revoked_at IS NULL AND t.is_active = 1");
    st.bind(1, sha256_hex(token));
    if (!st.step()) return std::nullopt;
    return DeviceAuth{st.text(0), st.text(1), st.text(2), st.text(3)};
}

}  // namespace batchivo::central::sqlite_impl

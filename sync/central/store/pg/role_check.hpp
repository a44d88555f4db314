// PostgreSQL role administration and the start-up safety check for `serve`.
#pragma once

#include <string>
#include <vector>

namespace batchivo::central {

// Problems that make the connected role unsafe for serving (empty = safe): superuser, BYPASSRLS, owner (or
// member of the owner) of a tenant table, a tenant table without enabled+forced RLS or without a policy, schema
// not migrated.
std::vector<std::string> check_app_role(const std::string& conninfo);

// Creates (or updates the password of) a LOGIN role without SUPERUSER/BYPASSRLS/CREATEROLE/CREATEDB and grants
// it exactly what `serve` needs. Run by the schema owner after `migrate`; idempotent.
void create_app_role(const std::string& owner_conninfo, const std::string& role, const std::string& password);

// Tables with a tenant_id column (plus tenants) in the current schema.
std::vector<std::string> tenant_tables(const std::string& conninfo);

}  // namespace batchivo::central

// Internal to the PostgreSQL migrations (one file per schema version): the tenant tables and the RLS statements
// every version appends for its new tables.
#pragma once

#include <string>

namespace batchivo::central::pg_migrations {

// Tables holding tenant data: RLS enabled + forced, fail-closed policy.
extern const char* const kTenantTablesV1[13];
extern const char* const kTenantTablesV2[4];

// ENABLE + FORCE row-level security on `table` and its tenant_isolation_policy on `column`.
std::string rls(const char* table, const char* column = "tenant_id");

std::string v1();  // the seed schema (fixed), migrations_v1.cpp
std::string v2();  // station additions, migrations_v2.cpp

}  // namespace batchivo::central::pg_migrations

// The one mapping from a SQLite row to a Spool, shared by the station store and central's SQLite store.
// The row must start with these 23 columns, in this order:
//   id, tenant_id, spool_id, material_type_id, material name, brand, color, color_hex, finish_type, purchase_date,
//   purchase_cost, supplier, supplier_id, initial_weight_g, current_weight_g, empty_spool_weight_g,
//   lead_time_days, storage_location, notes, qr_code_data, is_active, created_at, updated_at
#pragma once

#include "sync/domain/spool.hpp"
#include "sync/store/sqlite.hpp"

namespace batchivo::sql {

Spool read_spool_row(Stmt& st);

}  // namespace batchivo::sql

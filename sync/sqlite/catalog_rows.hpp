// The one mapping from SQLite rows to catalog values, shared by the station store and central's SQLite store.
// read_spool_row: the row must start with these 23 columns, in this order:
//   id, tenant_id, spool_id, material_type_id, material name, brand, color, color_hex, finish_type, purchase_date,
//   purchase_cost, supplier, supplier_id, initial_weight_g, current_weight_g, empty_spool_weight_g,
//   lead_time_days, storage_location, notes, qr_code_data, is_active, created_at, updated_at
#pragma once

#include "sync/domain/spool.hpp"
#include "sync/sqlite/sqlite.hpp"

namespace batchivo::sql {

Spool read_spool_row(Stmt& st);

// read_reorder_row: the row must start with these 13 columns, in this order:
//   id, tenant_id, material_type_id, material name, color, brand, avg_daily_usage_grams, lead_time_days,
//   safety_stock_days (NULL = the seed's default 7), reorder_point_grams, reorder_quantity_grams,
//   last_calculated_at, updated_at
ReorderSetting read_reorder_row(Stmt& st);

}  // namespace batchivo::sql

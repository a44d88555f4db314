#include "sync/sqlite/catalog_rows.hpp"

namespace batchivo::sql {

Spool read_spool_row(Stmt& st) {
    Spool s;
    s.id = st.text(0);
    s.tenant_id = st.text(1);
    s.spool_id = st.text(2);
    s.material_type_id = st.text(3);
    s.material_name = st.text(4);
    s.brand = st.text(5);
    s.color = st.text(6);
    s.color_hex = st.text(7);
    s.finish_type = st.text(8);
    s.purchase_date = st.text(9);
    s.purchase_cost = st.opt_f64(10);
    s.supplier = st.text(11);
    s.supplier_id = st.text(12);
    s.initial_weight_g = st.i32(13);
    s.current_weight_g = st.i32(14);
    if (auto v = st.opt_i64(15)) s.empty_spool_weight_g = static_cast<int>(*v);
    if (auto v = st.opt_i64(16)) s.lead_time_days = static_cast<int>(*v);
    s.storage_location = st.text(17);
    s.notes = st.text(18);
    s.qr_code_data = st.text(19);
    s.is_active = st.i64(20) != 0;
    s.created_at = st.text(21);
    s.updated_at = st.text(22);
    return s;
}

ReorderSetting read_reorder_row(Stmt& st) {
    ReorderSetting r;
    r.id = st.text(0);
    r.tenant_id = st.text(1);
    r.material_type_id = st.text(2);
    r.material_name = st.text(3);
    r.color = st.text(4);
    r.brand = st.text(5);
    if (auto v = st.opt_i64(6)) r.avg_daily_usage_grams = static_cast<int>(*v);
    r.lead_time_days = st.i32(7);
    r.safety_stock_days = st.is_null(8) ? 7 : st.i32(8);
    if (auto v = st.opt_i64(9)) r.reorder_point_grams = static_cast<int>(*v);
    if (auto v = st.opt_i64(10)) r.reorder_quantity_grams = static_cast<int>(*v);
    r.last_calculated_at = st.text(11);
    r.updated_at = st.text(12);
    return r;
}

}  // namespace batchivo::sql

#include "sync/store/spool_row.hpp"

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

}  // namespace batchivo::sql

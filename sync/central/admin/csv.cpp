#include "sync/central/admin/csv.hpp"

#include "sync/central/store/store.hpp"

namespace batchivo::central {

std::vector<std::vector<std::string>> read_csv(std::istream& in) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    char c;
    while (in.get(c)) {
        any = true;
        if (quoted) {
            if (c == '"') {
                if (in.peek() == '"') {
                    field += '"';
                    in.get(c);
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && in.peek() == '\n') in.get(c);
            row.push_back(field);
            field.clear();
            if (!(row.size() == 1 && row[0].empty())) rows.push_back(row);
            row.clear();
            any = false;
        } else {
            field += c;
        }
    }
    if (quoted) throw StoreError("invalid_input", "CSV: unterminated quoted field");
    if (any) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

}  // namespace batchivo::central

// A minimal RFC 4180 CSV reader for `spool import`: quoted fields, doubled quotes, CRLF; blank lines are skipped.
// Throws StoreError("invalid_input") on an unterminated quoted field.
#pragma once

#include <istream>
#include <string>
#include <vector>

namespace batchivo::central {

std::vector<std::vector<std::string>> read_csv(std::istream& in);

}  // namespace batchivo::central

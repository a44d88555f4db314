// Pure helpers of central's stores: catalog cursors (apply/cursor) and pairing codes (common/secrets).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "sync/central/apply/cursor.hpp"
#include "sync/central/common/secrets.hpp"
#include "sync/protocol/pairing.hpp"

using namespace batchivo;
using namespace batchivo::central;

TEST_CASE("cursor format and pairing codes", "[store]") {
    CHECK(parse_cursor("")->tenant_seq == 0);
    CHECK(parse_cursor("v1:12:3")->tenant_seq == 12);
    CHECK(parse_cursor("v1:12:3")->material_seq == 3);
    CHECK_FALSE(parse_cursor("v1:12"));
    CHECK_FALSE(parse_cursor("v1:-1:0"));
    CHECK_FALSE(parse_cursor("v1:1:0x"));
    CHECK_FALSE(parse_cursor("v1:01:0"));
    std::set<std::string> codes;
    for (int i = 0; i < 200; ++i) {
        const auto c = new_pairing_code();
        CHECK(wire::looks_like_pairing_code(c));
        codes.insert(c);
    }
    CHECK(codes.size() == 200);
}

#include <catch2/catch.hpp>

#include <random>

#include "platform/labels/label_parser.hpp"

using namespace batchivo::platform;

namespace {
std::pair<std::string, std::string> P(std::string_view t) {
    auto r = parse_label(t);
    return {std::string(to_string(r.kind)), r.value};
}
using KV = std::pair<std::string, std::string>;
}  // namespace

TEST_CASE("Batchivo spool UUIDs: label URL on any host, deep link, bare UUID, case and whitespace") {
    const std::string u = "0192f3a4-5b6c-7d8e-9f01-23456789abcd";
    CHECK(P("https://batchivo.com/filaments/" + u + "/update") == KV{"spool_uuid", u});
    CHECK(P("  HTTPS://Inventory.Example.org:8443/app/filaments/0192F3A4-5B6C-7D8E-9F01-23456789ABCD/UPDATE/ \n") == KV{"spool_uuid", u});
    CHECK(P("http://10.0.0.5/filaments/" + u) == KV{"spool_uuid", u});
    CHECK(P("https://batchivo.com/filaments/" + u + "/update?src=label#x") == KV{"spool_uuid", u});
    CHECK(P("batchivo://spool/" + u) == KV{"spool_uuid", u});
    CHECK(P("BATCHIVO://SPOOL/0192F3A4-5B6C-7D8E-9F01-23456789ABCD") == KV{"spool_uuid", u});
    CHECK(P("\t" + u + " ") == KV{"spool_uuid", u});
    CHECK(P("batchivo://spool/not-a-uuid").first == "unknown");
    CHECK(P("batchivo://printer/" + u).first == "unknown");
}

TEST_CASE("Spoolman spools and filaments") {
    CHECK(P("web+spoolman:s-42") == KV{"spoolman_spool", "42"});
    CHECK(P("WEB+SPOOLMAN:S-42") == KV{"spoolman_spool", "42"});
    CHECK(P("web+spoolman:s-0042") == KV{"spoolman_spool", "42"});
    CHECK(P("http://spoolman.local:7912/spool/show/17") == KV{"spoolman_spool", "17"});
    CHECK(P("https://example.org/spoolman/spool/show/17/") == KV{"spoolman_spool", "17"});
    CHECK(P("web+spoolman:f-3") == KV{"spoolman_filament", "3"});
    CHECK(P("http://spoolman.local:7912/filament/show/3") == KV{"spoolman_filament", "3"});
    CHECK(P("web+spoolman:s-").first == "unknown");
    CHECK(P("web+spoolman:s-x1").first == "unknown");
    CHECK(P("web+spoolman:s-0").first == "unknown");
    CHECK(P("web+spoolman:s-1234567890123").first == "unknown");
    CHECK(P("web+spoolman:v-4").first == "unknown");
}

TEST_CASE("pairing payloads and bare pairing codes") {
    const std::string payload = "batchivo-pair:v1?url=https%3A%2F%2Fcentral.example.org&code=PAIR-7KQM-X4ZT";
    CHECK(P(payload) == KV{"pairing", payload});
    CHECK(P("  " + payload + "\r\n") == KV{"pairing", payload});
    CHECK(P("pair-7kqm-x4zt") == KV{"pairing", "PAIR-7KQM-X4ZT"});
    CHECK(P("PAIR-ABCD-EFGH") == KV{"pairing", "PAIR-ABCD-EFGH"});
    // the code alphabet has no 0/O/1/I/L: such text is not a pairing code
    CHECK(P("PAIR-0BCD-EFGH") == KV{"spool_id", "PAIR-0BCD-EFGH"});
    CHECK(P("PAIR-ABCD-EFGHX").first == "spool_id");
}

TEST_CASE("seed spool ids and qr_code_data are spool_id, garbage is unknown") {
    CHECK(P("FIL-001") == KV{"spool_id", "FIL-001"});
    CHECK(P("  pla-red-001 ") == KV{"spool_id", "pla-red-001"});
    CHECK(P("4006381333931") == KV{"spool_id", "4006381333931"});  // an EAN-13 from a box
    CHECK(P("https://example.org/some/other/page") == KV{"spool_id", "https://example.org/some/other/page"});
    CHECK(P("Grüne Rolle") == KV{"spool_id", "Grüne Rolle"});
    CHECK(P("") == KV{"unknown", ""});
    CHECK(P("   \t\r\n") == KV{"unknown", ""});
    CHECK(P(std::string("FIL\0001", 5)).first == "unknown");
    CHECK(P("FIL\x1b[2J").first == "unknown");
    CHECK(P("\xc3\x28").first == "unknown");          // invalid UTF-8
    CHECK(P("\xed\xa0\x80").first == "unknown");      // surrogate
    CHECK(P(std::string(300, 'A')).first == "unknown");
    CHECK(P(std::string(256, 'A')).first == "spool_id");
}

TEST_CASE("never crashes on random byte strings") {
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> len(0, 400), byte(0, 255);
    for (int i = 0; i < 20000; ++i) {
        std::string s(static_cast<size_t>(len(rng)), '\0');
        for (auto& c : s) c = static_cast<char>(byte(rng));
        auto r = parse_label(s);
        CHECK_FALSE(to_string(r.kind).empty());
    }
}

TEST_CASE("raw is the trimmed scan for every kind, and long pairing QR codes (with a CA) are pairing") {
    CHECK(parse_label("  FIL-001\r\n").raw == "FIL-001");
    CHECK(parse_label(" web+spoolman:s-0042 ").raw == "web+spoolman:s-0042");
    CHECK(parse_label(" \x1b[2J ").raw == "\x1b[2J");
    CHECK(parse_label(" \x1b[2J ").kind == LabelKind::Unknown);
    const std::string pem(1500, 'Q');
    const std::string qr = "batchivo-pair:v1?url=https%3A%2F%2Fc.example&code=PAIR-7KQM-X4ZT&ca=" + pem;
    auto r = parse_label(" " + qr + "\n");
    CHECK(r.kind == LabelKind::Pairing);
    CHECK(r.value == qr);
    CHECK(r.raw == qr);
    CHECK(parse_label("batchivo-pair:" + std::string(kMaxPairingBytes, 'x')).kind == LabelKind::Unknown);
}

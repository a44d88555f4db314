#include <catch2/catch.hpp>

#include "platform/scale/hid_report.hpp"
#include "platform/scale/serial_parsers.hpp"

using namespace batchivo::platform;
using Kind = ParsedLine::Kind;

TEST_CASE("MT-SICS lines: stable, dynamic, not ready, overload, underload, errors, units") {
    auto p = parse_mtsics_line("S S      100.00 g");
    CHECK(p.kind == Kind::Reading);
    CHECK(p.status == ScaleStatus::Stable);
    CHECK(*p.grams == Approx(100.0));
    p = parse_mtsics_line("S D     99.98 g");
    CHECK(p.status == ScaleStatus::InMotion);
    CHECK(*p.grams == Approx(99.98));
    p = parse_mtsics_line("S S       1.2500 kg");
    CHECK(*p.grams == Approx(1250.0));
    p = parse_mtsics_line("S S       0.50 lb");
    CHECK(*p.grams == Approx(226.796185));
    p = parse_mtsics_line("S S      0.00 g");
    CHECK(p.status == ScaleStatus::AtZero);
    CHECK(*p.grams == 0.0);
    p = parse_mtsics_line("S S     -3.10 g");
    CHECK(p.status == ScaleStatus::UnderZero);
    CHECK(*p.grams == Approx(-3.1));
    p = parse_mtsics_line("S I");
    CHECK(p.kind == Kind::Reading);
    CHECK(p.status == ScaleStatus::InMotion);
    CHECK_FALSE(p.grams);
    CHECK(parse_mtsics_line("S +").status == ScaleStatus::Overload);
    CHECK(parse_mtsics_line("S -").status == ScaleStatus::UnderZero);
    CHECK_FALSE(parse_mtsics_line("S -").grams);
    CHECK(parse_mtsics_line("ES").kind == Kind::Error);
    CHECK(parse_mtsics_line("ET").kind == Kind::Error);
    CHECK(parse_mtsics_line("EL").kind == Kind::Error);
    CHECK(parse_mtsics_line("Z A").kind == Kind::Ack);
    CHECK(parse_mtsics_line("Z I").kind == Kind::Error);
    CHECK(parse_mtsics_line("S S  12.0 furlong").kind == Kind::Ignored);
    CHECK(parse_mtsics_line("S S  abc g").kind == Kind::Ignored);
    CHECK(parse_mtsics_line("").kind == Kind::Ignored);
    CHECK(parse_mtsics_line("\xff\xfe garbage").kind == Kind::Ignored);
}

TEST_CASE("A&D lines: ST/US/OL/QT, ACK and error codes") {
    auto p = parse_and_line("ST,+00123.45  g");
    CHECK(p.kind == Kind::Reading);
    CHECK(p.status == ScaleStatus::Stable);
    CHECK(*p.grams == Approx(123.45));
    p = parse_and_line("US,+00123.47  g");
    CHECK(p.status == ScaleStatus::InMotion);
    p = parse_and_line("ST,-00001.20  g");
    CHECK(p.status == ScaleStatus::UnderZero);
    CHECK(*p.grams == Approx(-1.2));
    p = parse_and_line("ST,+0.12345 kg");
    CHECK(*p.grams == Approx(123.45));
    CHECK(parse_and_line("OL,+9999999  g").status == ScaleStatus::Overload);
    CHECK_FALSE(parse_and_line("OL,+9999999  g").grams);
    CHECK(parse_and_line("QT,+00000010 PC").kind == Kind::Ignored);
    CHECK(parse_and_line("\x06").kind == Kind::Ack);
    CHECK(parse_and_line("EC,E1").kind == Kind::Error);
    CHECK(parse_and_line("ST+00123.45 g").kind == Kind::Ignored);
    CHECK(parse_and_line("XX,+1 g").kind == Kind::Ignored);
}

TEST_CASE("Ohaus lines: trailing ? marks unstable, G/N markers, overload") {
    auto p = parse_ohaus_line("     123.45 g");
    CHECK(p.kind == Kind::Reading);
    CHECK(p.status == ScaleStatus::Stable);
    CHECK(*p.grams == Approx(123.45));
    p = parse_ohaus_line("     123.41 g ?");
    CHECK(p.status == ScaleStatus::InMotion);
    CHECK(*p.grams == Approx(123.41));
    p = parse_ohaus_line("   0.250 kg   N");
    CHECK(p.status == ScaleStatus::Stable);
    CHECK(*p.grams == Approx(250.0));
    p = parse_ohaus_line("   1.50 oz G ?");
    CHECK(p.status == ScaleStatus::InMotion);
    CHECK(*p.grams == Approx(42.5242847));
    p = parse_ohaus_line("  -   2.00 g");
    CHECK(p.status == ScaleStatus::UnderZero);
    CHECK(*p.grams == Approx(-2.0));
    CHECK(parse_ohaus_line("  -OL-").status == ScaleStatus::Overload);
    CHECK(parse_ohaus_line("?").kind == Kind::Ignored);
    CHECK(parse_ohaus_line("hello world").kind == Kind::Ignored);
}

TEST_CASE("CAS lines: ST/US, GS/NT, 7-bit masking, overload") {
    auto p = parse_cas_line("ST,GS,+  1.500kg");
    CHECK(p.kind == Kind::Reading);
    CHECK(p.status == ScaleStatus::Stable);
    CHECK(*p.grams == Approx(1500.0));
    p = parse_cas_line("US,NT,-  0.020kg");
    CHECK(p.status == ScaleStatus::UnderZero);
    CHECK(*p.grams == Approx(-20.0));
    p = parse_cas_line("US,GS,+  0.850kg");
    CHECK(p.status == ScaleStatus::InMotion);
    // 7E1 data read as 8N1: parity bits set on some bytes
    std::string parity = "ST,GS,+  1.500kg";
    parity[0] = static_cast<char>(parity[0] | 0x80);
    parity[9] = static_cast<char>(parity[9] | 0x80);
    p = parse_cas_line(parity);
    CHECK(p.kind == Kind::Reading);
    CHECK(*p.grams == Approx(1500.0));
    p = parse_cas_line("ST,GS,01,+001234 g");  // with a device id field
    CHECK(*p.grams == Approx(1234.0));
    CHECK(parse_cas_line("OL,GS,+ 99.999kg").status == ScaleStatus::Overload);
    CHECK(parse_cas_line("ST,GS").kind == Kind::Ignored);
    CHECK(parse_cas_line("ST,GS,+ 1.0 parsec").kind == Kind::Ignored);
}

TEST_CASE("HID POS reports: every status, units, signed exponent, report ids") {
    auto rep = [](uint8_t id, uint8_t st, uint8_t unit, uint8_t exp, uint16_t w) {
        const uint8_t b[6] = {id, st, unit, exp, static_cast<uint8_t>(w & 0xff), static_cast<uint8_t>(w >> 8)};
        return parse_hid_report(b, 6);
    };
    auto r = rep(3, 4, 2, 0, 1234);  // 1234 g stable
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::Stable);
    CHECK(*r->grams == Approx(1234.0));
    r = rep(3, 4, 2, 0xFF, 12345);  // tenths of a gram
    CHECK(*r->grams == Approx(1234.5));
    r = rep(3, 3, 11, 0xFF, 125);  // 12.5 oz in motion
    CHECK(r->status == ScaleStatus::InMotion);
    CHECK(*r->grams == Approx(354.369));
    r = rep(3, 4, 12, 0xFE, 250);  // 2.50 lb
    CHECK(*r->grams == Approx(1133.98));
    r = rep(3, 4, 3, 0xFD, 1500);  // 1.500 kg
    CHECK(*r->grams == Approx(1500.0));
    r = rep(4, 4, 1, 0, 5000);  // report id 4, mg
    CHECK(*r->grams == Approx(5.0));
    r = rep(3, 2, 2, 0, 0);
    CHECK(r->status == ScaleStatus::AtZero);
    CHECK(*r->grams == 0.0);
    r = rep(3, 5, 2, 0, 7);
    CHECK(r->status == ScaleStatus::UnderZero);
    CHECK(*r->grams == Approx(-7.0));
    r = rep(3, 6, 2, 0, 0);
    CHECK(r->status == ScaleStatus::Overload);
    CHECK_FALSE(r->grams);
    CHECK(rep(3, 1, 2, 0, 0)->status == ScaleStatus::Fault);
    CHECK(rep(3, 7, 2, 0, 0)->note == "scale needs calibration");
    CHECK(rep(3, 8, 2, 0, 0)->note == "scale needs re-zeroing");
    CHECK(rep(3, 4, 0, 0, 10)->status == ScaleStatus::Fault);   // unknown unit
    CHECK(rep(3, 4, 99, 0, 10)->note == "unknown unit 99");
    CHECK(rep(3, 9, 2, 0, 10)->status == ScaleStatus::Fault);   // unknown status
    CHECK_FALSE(rep(2, 4, 2, 0, 10));                           // output report id: not ours
    const uint8_t short_rep[5] = {3, 4, 2, 0, 1};
    CHECK_FALSE(parse_hid_report(short_rep, 5));
    CHECK_FALSE(parse_hid_report(nullptr, 6));
    CHECK(hex_bytes(short_rep, 5) == "03 04 02 00 01");
}

// New spools coming in (intake): what a station knows about a spool it creates, the shape check both the station
// and central run on it, and the human spool_id pattern central assigns (e.g. PLA-BLK-003). Pure; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sync/domain/result.hpp"

namespace batchivo {

// A spool created on a station. The station generates the spool's UUID (the outbox record's spool_uuid); this is
// the rest of it. Weights are whole grams of filament (net).
struct NewSpool {
    std::string spool_id;          // human id; empty = central assigns one (spool_id_prefix + per-tenant number)
    std::string material;          // a material type name (PLA, PETG, ...); required
    std::string brand;
    std::string color;
    std::string color_hex;         // "#RRGGBB" or empty
    int initial_weight_g = 0;      // > 0: the filament on the full spool
    std::optional<int> empty_spool_weight_g;  // the tare when it came from the catalog/spool data
    std::string storage_location;
    std::string purchase_item_id;  // UUID of the purchase line this spool fills, or empty
    // The payload of a label printed at the station before the record was sent ("" = none): central stores it as
    // the spool's qr_code_data, so the spool counts as labelled (`spool label --unlabeled` skips it). Not part of
    // the item's content hash (the station may add it while the record is still unsent).
    std::string qr_code_data;
};

// One line of an open purchase as the station caches it (from the catalog's open purchases), flattened with its
// purchase's header for pick lists.
struct PurchaseLine {
    std::string id;  // purchase_items.id
    std::string purchase_id;
    std::string po_number;
    std::string supplier;
    std::string order_date;
    std::string status;  // ordered | shipped
    std::string material;
    std::string brand;
    std::string color;
    int quantity = 0;
    int received = 0;
    std::optional<int> weight_per_spool_g;
    std::optional<double> unit_cost;
    int remaining() const { return quantity > received ? quantity - received : 0; }
};

inline constexpr int kMaxSpoolIdLength = 50;  // the seed's VARCHAR(50)

// Shape check (lengths, weights, UUIDs; the wire layer adds UTF-8); Error{"invalid_item", reason}. Central also checks the material
// type, the purchase line and the spool_id's uniqueness within the tenant.
Result<> validate_new_spool(const NewSpool& s);

// Abbreviations for assigned spool ids: "PLA" / "Wood PLA" -> "PLA" / "WOODPLA" (upper-case letters and digits,
// at most 6), "Black" -> "BLK", "Light Blue" -> "LB", "Teal" -> "TL" (common colours have fixed abbreviations;
// otherwise initials of several words, or the first letter and the next consonants). Never empty ("X").
std::string material_abbreviation(std::string_view material);
std::string color_abbreviation(std::string_view color);
// "PLA-BLK" (the part before the number).
std::string spool_id_prefix(std::string_view material, std::string_view color);
// prefix + "-" + the number, at least 3 digits: ("PLA-BLK", 3) -> "PLA-BLK-003".
std::string format_spool_id(std::string_view prefix, long long n);
// The number of an id made by format_spool_id for this prefix (case-insensitive), or nullopt ("PLA-BLK-007" -> 7).
std::optional<long long> spool_id_number(std::string_view spool_id, std::string_view prefix);

}  // namespace batchivo

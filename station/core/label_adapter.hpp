// Transitional: the kiosk classifies scans with platform::parse_label() (platform/labels/label_parser.hpp),
// the one place that trims and classifies a scan. These aliases keep station.cpp and the station tests
// compiling until the integrator renames their users (LabelKind -> platform::LabelKind, ScannedLabel ->
// platform::LabelRef, classify_label -> platform::parse_label) and deletes this header.
#pragma once

#include <string_view>

#include "platform/labels/label_parser.hpp"

namespace batchivo::station {

using LabelKind = platform::LabelKind;
using ScannedLabel = platform::LabelRef;
using platform::to_string;

inline ScannedLabel classify_label(std::string_view payload) {
    return platform::parse_label(payload);
}

}  // namespace batchivo::station

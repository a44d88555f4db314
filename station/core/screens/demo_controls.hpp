// The demo panel's controller (demo mode only; not a screen, an overlay over every screen): choose a catalog
// spool, place its weight on the simulated scale, show its label (or the pairing QR) to the simulated camera,
// unplug the scale. Fills StationSnapshot::demo. UI thread only; the device links are the Station's and are
// reached through `links` (they are replaced when Setup restarts the devices).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "station/core/devices.hpp"
#include "station/core/screens/screen.hpp"

namespace batchivo::station {

struct DemoLinks {
    std::function<ScaleLink*()> scale;
    std::function<CameraLink*()> camera;
    std::function<std::string()> pairing_payload;  // empty when the demo central is not running
};

class DemoControls : public ScreenController {
public:
    DemoControls(ScreenHost& host, DemoLinks links) : host_(host), links_(std::move(links)) {}
    void enable(std::string central_url, std::string central_error);
    bool handle(const Intent& in) override;
    void fill(StationSnapshot& s, int64_t) const override { s.demo = view_; }
    void catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) override;

private:
    void select(int index);
    std::optional<double> gross_for(const Spool& s) const;  // what the spool would weigh on the pan
    ScreenHost& host_;
    DemoLinks links_;
    DemoView view_;
};

}  // namespace batchivo::station

// Scripted scenarios for end-to-end tests and screenshots (`batchivo-station --scenario FILE`). One command per
// line; blank lines and lines starting with # are ignored. The runner drives a Station exactly as an operator
// would (intents, scans, the simulated scale and camera) and checks expectations.
//
//   screen <weigh|usage|stock|detail|reorder|sync|setup>     navigate
//   show-label <text>          show a label to the (simulated) camera; it is decoded like a frame
//   scan <text>                a handheld scanner typed <text> + Enter
//   scan-image <file>          put an image in front of the camera (path relative to the scenario file)
//   place <grams> | remove | unplug-scale | plug-scale        simulated scale
//   wait-stable [s]            until the scale reads stable (default timeout 15 s)
//   wait-stage <stage> [s]     until the weigh flow is in <stage> (idle|problem|card|weighing|saved)
//   wait-synced [s]            until the last record written is applied by the server (default 60 s)
//   wait-record <pending|sent|applied|rejected|discarded> [s]   until the last record written is in that state
//   record-usage <spool uuid> <grams> [label]   record a usage directly (e.g. for a spool central does not know)
//   wait <ms> | wait-frames <n>
//   tap <confirm|undo|clear|home|back|submit|sync-now|save|revert|keyboard|demo|demo-show|demo-place|
//        demo-remove|log-usage|details|ok|cancel|tare N|material M|status S|first-row|edit FIELD|retry N|discard N|
//        discard-confirm|discard-cancel|target KIND|connect|connect-force|
//        edit <target-url|api-key|email|password|tenant|server-url|pair-code|station-name|N>>
//   type <text>                keys on the current screen's keypad / keyboard
//   screenshot <file>          PNG of the window (after the screen has settled)
//   expect screen|stage|problem <value> ; expect record <pending|sent|applied|rejected|discarded> ;
//   expect pending <n> ; expect results <n> ; expect paired ; expect target <central|spoolman|batchivo> ;
//   expect catalog <n>   (spools in the station's catalog)
//   wait-target <kind> [s]     until the sync target is <kind> and the catalog is loaded (after a Setup connect)
//   wait-catalog <n> [s]       until the station's catalog holds exactly n spools
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sync/domain/result.hpp"

namespace batchivo::station {

class Station;

struct ScenarioStep {
    int line = 0;
    std::string cmd;
    std::vector<std::string> args;
    std::string rest;  // everything after the command, trimmed
};

Result<std::vector<ScenarioStep>> parse_scenario(const std::string& text);  // error "invalid_scenario"

class ScenarioRunner {
public:
    enum class Status { Running, Done, Failed };
    using Screenshot = std::function<bool(const std::string& file, std::string& error)>;
    ScenarioRunner(std::vector<ScenarioStep> steps, std::string base_dir, Station& station, Screenshot shot);
    // Call once per frame after Station::frame(). Runs steps until one has to wait.
    Status step(int64_t steady_now_ms);
    const std::string& error() const { return error_; }
    size_t position() const { return pos_; }

private:
    bool run_one(const ScenarioStep& s, int64_t now, bool& wait);
    bool fail(const ScenarioStep& s, const std::string& msg);
    std::string path(const std::string& p) const;

    std::vector<ScenarioStep> steps_;
    std::string base_;
    Station& st_;
    Screenshot shot_;
    size_t pos_ = 0;
    int64_t wait_started_ = -1;
    int frames_waited_ = 0;
    std::string error_;
    Status status_ = Status::Running;
};

}  // namespace batchivo::station

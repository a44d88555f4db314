// Running our own programs from a test, shared by every suite that drives batchivo-station or batchivo-central
// through its command line: shell quoting, one run with its exit status and output (stdout and stderr together).
// The programs' paths come from compile definitions that batchivo_test_programs() (tests/CMakeLists.txt) sets:
// BATCHIVO_STATION_BIN and BATCHIVO_CENTRAL_BIN, with the emulator in front in a cross build.
#pragma once

#include <string>

namespace batchivo::test {

// 'text' for /bin/sh, single quotes escaped.
std::string shell_quote(const std::string& s);

struct ProgramRun {
    int status = -1;  // exit status; -1 when the program did not exit normally (or could not be started)
    std::string out;  // stdout and stderr
};

// Runs `program args 2>&1` through /bin/sh (`program` is not quoted: it may carry an emulator in front).
ProgramRun run_program(const std::string& program, const std::string& args);

#ifdef BATCHIVO_STATION_BIN
// batchivo-station --data-dir DIR ARGS
inline ProgramRun run_station(const std::string& data_dir, const std::string& args) {
    return run_program(BATCHIVO_STATION_BIN, "--data-dir " + shell_quote(data_dir) + " " + args);
}
#endif

#ifdef BATCHIVO_CENTRAL_BIN
// batchivo-central ARGS
inline ProgramRun run_central(const std::string& args) { return run_program(BATCHIVO_CENTRAL_BIN, args); }
#endif

}  // namespace batchivo::test

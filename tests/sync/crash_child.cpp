// Child process for the crash test: records usages in a loop into the station store and acknowledges each on
// stdout ("<id> <seq>\n", one write(2) per line) only after record() returned. The parent SIGKILLs it at random.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "sync/store/station_store.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s DB SPOOL_UUID\n", argv[0]);
        return 2;
    }
    try {
        batchivo::StationStore store(argv[1]);
        batchivo::NewRecord r;
        r.spool_uuid = argv[2];
        r.spool_label = "CRASH-1";
        r.type = batchivo::TransactionType::Usage;
        r.quantity_grams = -1;
        for (;;) {
            auto rec = store.record(r);
            const std::string line = rec.id + " " + std::to_string(rec.seq) + "\n";
            if (::write(1, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "crash child: %s\n", e.what());
        return 1;
    }
}

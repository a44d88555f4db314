// batchivo-central: the tenant-scoped Batchivo server. See docs/CENTRAL.md.
#include "sync/central/admin/cli.hpp"

int main(int argc, char** argv) { return batchivo::central::run_cli(argc, argv); }

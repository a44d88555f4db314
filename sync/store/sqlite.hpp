// Compatibility include: the SQLite wrapper moved to sync/sqlite/sqlite.hpp (library batchivo_sqlite). Include that
// instead; this forwarder goes once no caller uses the old path.
#pragma once

#include "sync/sqlite/sqlite.hpp"

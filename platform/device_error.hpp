// The error codes the hardware backends (scales, cameras) share for operating-system failures, so a caller can
// tell "plug it in / fix the path" from "fix the permissions" from anything else. Header-only, pure.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "sync/domain/result.hpp"

namespace batchivo::platform {

// "not_found" (ENOENT, ENODEV, ENXIO: no such device), "permission_denied" (EACCES, EPERM), else "io".
inline std::string errno_code(int e) {
    switch (e) {
        case ENOENT:
        case ENODEV:
        case ENXIO: return "not_found";
        case EACCES:
        case EPERM: return "permission_denied";
        default: return "io";
    }
}

// An Error for a failed system call: the code from errno_code(e), the message as given.
inline Error errno_error(int e, std::string message) { return Error{errno_code(e), std::move(message)}; }

}  // namespace batchivo::platform

// Whether a hardware driver (scale, camera, scanner registry rows) needs a device path in the config.
#pragma once

namespace batchivo::platform {

enum class DevicePath { None, Optional, Required };

}  // namespace batchivo::platform

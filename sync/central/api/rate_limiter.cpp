#include "sync/central/api/rate_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace batchivo::central {

int RateLimiter::take(const std::string& key) {
    if (rate_ <= 0) return 0;
    std::lock_guard lk(mu_);
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!inserted) b.tokens = std::min(burst_, b.tokens + (now - b.at) * rate_);
    b.at = now;
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
    }
    if (buckets_.size() > 100000) buckets_.clear();  // bounded memory under abuse
    return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
}

}  // namespace batchivo::central

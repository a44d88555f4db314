// A token bucket per key (device id, client address): rate tokens per second up to burst. Thread-safe. Memory is
// bounded: past 100,000 keys the buckets are forgotten (everyone starts full again).
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace batchivo::central {

class RateLimiter {
public:
    RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
    // 0 when allowed (a token was taken), else whole seconds to wait. rate <= 0 disables limiting.
    int take(const std::string& key);

private:
    struct Bucket {
        double tokens;
        double at;
    };
    double rate_, burst_;
    std::mutex mu_;
    std::map<std::string, Bucket> buckets_;
};

}  // namespace batchivo::central

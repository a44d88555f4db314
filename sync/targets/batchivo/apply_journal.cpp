#include "sync/targets/batchivo/apply_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

namespace batchivo::sync::batchivo_api {

namespace {

bool write_all(int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        off += static_cast<size_t>(n);
    }
    return true;
}

std::string to_line(const Attempt& a) {
    return nlohmann::json{{"id", a.record_id},         {"spool", a.spool_uuid}, {"before", a.before_g},
                          {"before_at", a.before_updated_at}, {"after", a.after_g}}
               .dump() +
           "\n";
}

void fsync_dir(const std::string& path) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace

ApplyJournal::ApplyJournal(std::string path) : path_(std::move(path)) {}

void ApplyJournal::load_locked() {
    if (loaded_ && FileStamp::of(path_) == seen_) return;
    if (loaded_) {  // written by someone else meanwhile: read it again
        by_id_.clear();
        lines_ = 0;
    }
    loaded_ = true;
    seen_ = FileStamp::of(path_);
    std::ifstream in(path_);
    std::string line;
    while (std::getline(in, line)) {
        ++lines_;
        try {
            const auto j = nlohmann::json::parse(line);
            const std::string id = j.at("id").get<std::string>();
            if (j.value("forget", false)) {
                by_id_.erase(id);
                continue;
            }
            Attempt a{id, j.at("spool").get<std::string>(), j.at("before").get<double>(),
                      j.value("before_at", ""), j.at("after").get<double>()};
            by_id_[id] = {next_order_++, std::move(a)};
        } catch (const std::exception&) {
            // A torn last line (power cut mid-append) was never followed by its PUT: ignore it.
        }
    }
}

std::optional<Attempt> ApplyJournal::find(const std::string& record_id) {
    std::lock_guard lk(mu_);
    load_locked();
    auto it = by_id_.find(record_id);
    if (it == by_id_.end()) return std::nullopt;
    return it->second.second;
}

size_t ApplyJournal::size() {
    std::lock_guard lk(mu_);
    load_locked();
    return by_id_.size();
}

Result<> ApplyJournal::append_locked(const std::string& line) {
    const bool created = !std::filesystem::exists(path_);
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return Error{"io", path_ + ": " + std::strerror(errno)};
    // A torn last line (power cut mid-append) must not swallow this one: start on a fresh line.
    char last = '\n';
    const bool torn = ::lseek(fd, -1, SEEK_END) >= 0 && ::read(fd, &last, 1) == 1 && last != '\n';
    std::string text(torn ? "\n" : "");
    text += line;
    const bool ok = write_all(fd, text) && ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (!ok) return Error{"io", path_ + ": " + std::strerror(err)};
    if (created) fsync_dir(path_);
    ++lines_;
    seen_ = FileStamp::of(path_);
    return {};
}

Result<> ApplyJournal::compact_locked() {
    std::vector<std::pair<uint64_t, const Attempt*>> order;
    for (const auto& [id, v] : by_id_) order.emplace_back(v.first, &v.second);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    if (order.size() > kKeep) order.erase(order.begin(), order.end() - static_cast<std::ptrdiff_t>(kKeep));
    std::string text;
    for (const auto& [n, a] : order) text += to_line(*a);
    const std::string tmp = path_ + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Error{"io", tmp + ": " + std::strerror(errno)};
    const bool ok = write_all(fd, text) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path_.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return Error{"io", path_ + ": compaction failed"};
    }
    fsync_dir(path_);
    std::map<std::string, std::pair<uint64_t, Attempt>> kept;
    for (const auto& [n, a] : order) kept[a->record_id] = {n, *a};
    by_id_ = std::move(kept);
    lines_ = by_id_.size();
    seen_ = FileStamp::of(path_);
    return {};
}

Result<> ApplyJournal::add(const Attempt& a) {
    std::lock_guard lk(mu_);
    load_locked();
    if (auto r = append_locked(to_line(a)); !r) return r;
    by_id_[a.record_id] = {next_order_++, a};
    if (lines_ > 2 * kKeep) (void)compact_locked();  // the appended line is already durable either way
    return {};
}

Result<> ApplyJournal::forget(const std::string& record_id) {
    std::lock_guard lk(mu_);
    load_locked();
    if (!by_id_.count(record_id)) return {};
    if (auto r = append_locked(nlohmann::json{{"id", record_id}, {"forget", true}}.dump() + "\n"); !r) return r;
    by_id_.erase(record_id);
    return {};
}

}  // namespace batchivo::sync::batchivo_api

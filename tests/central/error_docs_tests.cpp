// Errors match the docs: every (status, code) in the server's registry (sync/central/api/errors.hpp) is a row of
// docs/API.md's error table and vice versa; every literal error the server's HTTP layer sends is registered; every
// StoreError code maps onto a registered error; every per-item rejection code is documented.
#include "batchivo_source_dir.hpp"
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "sync/central/api/errors.hpp"

using namespace batchivo::central;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::set<std::pair<int, std::string>> matches(const std::string& text, const std::regex& re) {
    std::set<std::pair<int, std::string>> out;
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
        out.insert({std::stoi((*it)[1].str()), (*it)[2].str()});
    return out;
}

std::vector<fs::path> sources_under(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.path().extension() == ".cpp" || e.path().extension() == ".hpp") out.push_back(e.path());
    return out;
}

const fs::path root = BATCHIVO_SOURCE_DIR;

}  // namespace

TEST_CASE("the error registry and docs/API.md's error table are the same set", "[errors]") {
    const std::string api = slurp(root / "docs/API.md");
    const auto documented = matches(api, std::regex(R"(\n\| (\d{3}) \| `([a-z_]+)` \|)"));
    std::set<std::pair<int, std::string>> registered;
    for (const auto& e : kApiErrors) registered.insert({e.status, e.code});
    for (const auto& r : registered) {
        INFO(r.first << " " << r.second << " is registered but not in docs/API.md's error table");
        CHECK(documented.count(r));
    }
    for (const auto& d : documented) {
        INFO(d.first << " " << d.second << " is documented but the server never sends it (not registered)");
        CHECK(registered.count(d));
    }
}

TEST_CASE("every error the HTTP layer sends is registered", "[errors]") {
    const std::regex sent(R"((?:send_error|reject_request)\((?:req, )?res, (\d{3}), \"([a-z_]+)\")");
    size_t found = 0;
    for (const auto& p : sources_under(root / "sync/central/api")) {
        for (const auto& [status, code] : matches(slurp(p), sent)) {
            ++found;
            INFO(p.filename().string() << ": " << status << " " << code);
            CHECK(is_registered_error(status, code));
        }
    }
    CHECK(found >= 10);  // the scan itself works
}

TEST_CASE("every StoreError code maps onto a registered error", "[errors]") {
    const std::regex thrown(R"(StoreError\(\"([a-z_]+)\")");
    std::set<std::string> codes;
    for (const auto& p : sources_under(root / "sync/central")) {
        const std::string t = slurp(p);
        for (std::sregex_iterator it(t.begin(), t.end(), thrown), end; it != end; ++it) codes.insert((*it)[1].str());
    }
    CHECK(codes.count("invalid_cursor"));
    for (const auto& c : codes) {
        const auto e = api_error_for_store_code(c);
        INFO(c << " -> " << e.status << " " << e.code);
        CHECK(is_registered_error(e.status, e.code));
    }
    CHECK(api_error_for_store_code("invalid_input").code == std::string("invalid_request"));
    CHECK(api_error_for_store_code("invalid_cursor").status == 400);
    CHECK(api_error_for_store_code("not_found").status == 404);
    CHECK(api_error_for_store_code("migration_failed").status == 500);
}

TEST_CASE("every per-item rejection code is documented", "[errors]") {
    const std::string api = slurp(root / "docs/API.md");
    std::set<std::string> codes;
    const std::regex item_code(R"((?:reject\(|Error\{)\"([a-z_]+)\")");
    for (const auto& f : {root / "sync/central/apply/batch_plan.cpp", root / "sync/protocol/batch.cpp"}) {
        const std::string t = slurp(f);
        for (std::sregex_iterator it(t.begin(), t.end(), item_code), end; it != end; ++it) codes.insert((*it)[1].str());
    }
    for (const char* c : {"stale_weighing", "superseded"}) codes.insert(c);
    CHECK(codes.count("unknown_spool"));
    for (const auto& c : codes) {
        INFO(c);
        CHECK(api.find("`" + c + "`") != std::string::npos);
    }
}

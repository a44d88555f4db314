// The HTTP layer's own request and response values: what the transport (api/transport/) reads off a socket and
// what CentralServer::handle() builds from an ApiRequest, so both paths run the same dispatch and route handlers
// without depending on an HTTP library. No ImGui, no Boost; plain values.
#pragma once

#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace batchivo::central {

struct ServerRequest {
    std::string method;       // "GET", "POST", ...
    std::string path;         // percent-decoded path, no query
    std::multimap<std::string, std::string> params;  // percent-decoded query parameters
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string remote_addr;
    std::smatch matches;      // the route pattern's groups over `path` (set by dispatch)
    // 0, or the status the transport already decided (malformed HTTP 400, header too large 431 -> 414, body over
    // the limit 413): the request is answered with that error without running a handler.
    int transport_status = 0;

    // Filled while the request is handled, for the access log and metrics (never a token or a body).
    struct Annotations {
        std::string route;      // the matched route pattern (ids as {id}), "unmatched" otherwise
        std::string tenant_id;  // when the bearer token authenticated
        std::string device_id;
        std::string request_id;
    };
    mutable Annotations note;

    bool has_param(const char* name) const { return params.find(name) != params.end(); }
    // The first value of query parameter `name`, "" when absent.
    std::string get_param_value(const char* name) const {
        auto it = params.find(name);
        return it == params.end() ? std::string() : it->second;
    }
    // The first header called `name` (case-insensitive), "" when absent.
    std::string get_header_value(const char* name) const;
};

struct ServerResponse {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Replaces any header of the same name (case-insensitive).
    void set_header(const std::string& name, const std::string& value);
    void set_content(std::string content, const std::string& content_type) {
        body = std::move(content);
        set_header("Content-Type", content_type);
    }
};

bool iequals_ascii(const std::string& a, const std::string& b);

// Splits a request target ("/path?a=1&b=x%20y") into req.path (percent-decoded, '+' kept) and req.params
// (percent-decoded, '+' is a space), as both the socket transport and CentralServer::handle() read it.
void parse_target(const std::string& target, ServerRequest& req);

}  // namespace batchivo::central

// Sending bytes: device nodes and files, TCP raw ports, CUPS; and print_label's dispatch by printer kind.
#include <cups/cups.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "platform/printing/printers/printer.hpp"

namespace batchivo::printing {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int e) { return std::strerror(e); }

Result<> write_all(int fd, const uint8_t* data, size_t n, const std::string& what) {
    size_t done = 0;
    while (done < n) {
        const ssize_t w = ::write(fd, data + done, n - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            return Error{"io", "write to " + what + " failed: " + errno_text(errno)};
        }
        done += size_t(w);
    }
    return {};
}

// A printer device node (or, in tests, a FIFO or a regular file standing in for one): opened write-only, never
// created; a regular file is truncated first.
Result<PrintReceipt> send_to_device(const std::string& path, const std::vector<uint8_t>& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int e = errno;
        std::string hint;
        if (e == ENOENT) hint = " (is the printer connected and switched on?)";
        if (e == EACCES) hint = " (add the station's user to the 'lp' group)";
        return Error{"io", "cannot open printer " + path + ": " + errno_text(e) + hint};
    }
    struct stat st{};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::ftruncate(fd, 0) != 0) {
        const int e = errno;
        ::close(fd);
        return Error{"io", "cannot truncate " + path + ": " + errno_text(e)};
    }
    auto r = write_all(fd, bytes.data(), bytes.size(), path);
    if (::close(fd) != 0 && r) return Error{"io", "closing " + path + " failed: " + errno_text(errno)};
    if (!r) return r.error();
    return PrintReceipt{path, bytes.size(), 0};
}

Result<PrintReceipt> write_file(const std::string& path, const std::vector<uint8_t>& bytes, bool exclusive) {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
    const int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) {
        if (exclusive && errno == EEXIST) return Error{"exists", path};
        return Error{"io", "cannot create " + path + ": " + errno_text(errno)};
    }
    auto r = write_all(fd, bytes.data(), bytes.size(), path);
    if (::close(fd) != 0 && r) return Error{"io", "closing " + path + " failed: " + errno_text(errno)};
    if (!r) return r.error();
    return PrintReceipt{path, bytes.size(), 0};
}

Result<PrintReceipt> send_tcp(const std::string& host, int port, const std::string& data) {
    const std::string where = host + ":" + std::to_string(port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0)
        return Error{"network", "cannot resolve " + host + ": " + gai_strerror(rc)};
    std::string last = "no address";
    int fd = -1;
    for (addrinfo* a = res; a && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) { last = errno_text(errno); continue; }
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            last = errno_text(errno);
            ::close(fd);
            fd = -1;
            continue;
        }
        pollfd p{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        if (::poll(&p, 1, 5000) != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            last = err ? errno_text(err) : std::string("connection timed out");
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(res);
    if (fd < 0) return Error{"network", "cannot connect to printer " + where + ": " + last};
    // Back to blocking with a send timeout.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t w = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            const std::string e = errno == EAGAIN ? "send timed out" : errno_text(errno);
            ::close(fd);
            return Error{"network", "sending to printer " + where + " failed: " + e};
        }
        done += size_t(w);
    }
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
    return PrintReceipt{where, data.size(), 0};
}

Result<PrintReceipt> send_cups(const PrinterSpec& spec, const std::vector<uint8_t>& pdf, const std::string& title) {
    http_t* http = CUPS_HTTP_DEFAULT;
    if (!spec.host.empty()) {
        const int port = spec.port ? spec.port : ippPort();
        http = httpConnect2(spec.host.c_str(), port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 10000,
                            nullptr);
        if (!http)
            return Error{"network", "cannot connect to CUPS at " + spec.host + ":" + std::to_string(port) + ": " +
                                        cupsLastErrorString()};
    }
    auto fail = [&](const std::string& what) {
        Error e{"printer", "CUPS queue " + spec.target + ": " + what + ": " + cupsLastErrorString()};
        if (http) httpClose(http);
        return e;
    };
    const int job = cupsCreateJob(http, spec.target.c_str(), title.c_str(), 0, nullptr);
    if (job <= 0) return fail("cannot create a job");
    if (cupsStartDocument(http, spec.target.c_str(), job, title.c_str(), CUPS_FORMAT_PDF, 1) != HTTP_STATUS_CONTINUE)
        return fail("cannot start the document");
    if (cupsWriteRequestData(http, reinterpret_cast<const char*>(pdf.data()), pdf.size()) != HTTP_STATUS_CONTINUE)
        return fail("cannot send the document");
    if (cupsFinishDocument(http, spec.target.c_str()) != IPP_STATUS_OK) return fail("job refused");
    if (http) httpClose(http);
    return PrintReceipt{"cups " + spec.target + " job " + std::to_string(job), pdf.size(), job};
}

std::string safe_file_name(const std::string& name) {
    std::string out;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        out += ok ? c : '_';
    }
    while (!out.empty() && out.front() == '.') out.erase(out.begin());
    if (out.empty()) out = "label";
    return out.substr(0, 100);
}

}  // namespace

Result<PrintReceipt> print_labels(const std::vector<Bitmap>& labels, const PrinterSpec& printer) {
    if (labels.empty()) return Error{"invalid_input", "nothing to print"};
    switch (printer.kind) {
        case PrinterKind::BrotherQl: {
            QlOptions o;
            o.compress = printer.compress;
            auto bytes = encode_brother_ql(labels, o);
            if (!bytes) return bytes.error();
            return send_to_device(printer.target, *bytes);
        }
        case PrinterKind::ZplDevice: {
            const std::string z = encode_zpl(labels);
            return send_to_device(printer.target, std::vector<uint8_t>(z.begin(), z.end()));
        }
        case PrinterKind::ZplTcp: return send_tcp(printer.host, printer.port, encode_zpl(labels));
        case PrinterKind::PdfFile: {
            auto pdf = encode_pdf(labels);
            if (!pdf) return pdf.error();
            // Write next to the target and rename: a reader never sees half a PDF.
            const std::string tmp = printer.target + ".part";
            auto r = write_file(tmp, *pdf, false);
            if (!r) return r.error();
            std::error_code ec;
            fs::rename(tmp, printer.target, ec);
            if (ec) return Error{"io", "cannot write " + printer.target + ": " + ec.message()};
            return PrintReceipt{printer.target, pdf->size(), 0};
        }
        case PrinterKind::Cups: {
            auto pdf = encode_pdf(labels);
            if (!pdf) return pdf.error();
            return send_cups(printer, *pdf, labels.front().name.empty() ? "label" : labels.front().name);
        }
        case PrinterKind::PngDir: {
            std::error_code ec;
            fs::create_directories(printer.target, ec);
            if (ec) return Error{"io", "cannot create directory " + printer.target + ": " + ec.message()};
            PrintReceipt total;
            for (const auto& bm : labels) {
                auto png = encode_png(bm);
                if (!png) return png.error();
                const std::string base = safe_file_name(bm.name);
                Result<PrintReceipt> r = Error{"exists", ""};
                for (int n = 1; n < 10000 && !r && r.error().code == "exists"; ++n) {
                    const std::string file = (fs::path(printer.target) /
                                              (n == 1 ? base + ".png" : base + "-" + std::to_string(n) + ".png"))
                                                 .string();
                    r = write_file(file, *png, true);
                }
                if (!r) return r.error().code == "exists" ? Error{"io", "too many files named " + base} : r.error();
                total.destination += (total.destination.empty() ? "" : " ") + r->destination;
                total.bytes += r->bytes;
            }
            return total;
        }
    }
    return Error{"invalid_input", "unknown printer kind"};
}

Result<PrintReceipt> print_label(const Bitmap& label, const PrinterSpec& printer) {
    return print_labels(std::vector<Bitmap>{label}, printer);
}

}  // namespace batchivo::printing

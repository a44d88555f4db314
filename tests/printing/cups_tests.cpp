// The cups: backend against a real cupsd that this test starts itself: private ServerRoot/spool/state/log under a
// temporary directory, listening on a free loopback port, with one raw queue whose backend is a 6-line shell
// script in a private ServerBin that copies each job's document to a directory. (A plain file: device URI does
// not work for this: CUPS 2.4 starts no process for a raw queue on a file: URI, and the job "completes" without
// writing anything.) The label goes through libcups -> IPP -> cupsd's spool -> the backend, and comes back as
// the PDF we sent, which poppler rasterises for the project's decoder.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

#include "platform/printing/printers/printer.hpp"
#include "printing_test_util.hpp"

using namespace batchivo;
using namespace batchivo::printing;
using namespace batchivo::printing::test;
namespace fs = std::filesystem;

namespace {

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool port_open(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

void write_text(const std::string& path, const std::string& text, mode_t mode = 0644) {
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
}

// A private cupsd, stopped (by its pid) when the test ends.
struct PrivateCupsd {
    TempDir dir;
    int port = 0;
    pid_t pid = -1;
    std::string out;  // where the backend drops job documents
    std::string error;

    PrivateCupsd() {
        const std::string d = dir.path.string();
        ::chmod(d.c_str(), 0755);
        for (auto sub : {"spool", "cache", "state", "tmp", "log", "out", "ppd", "bin", "bin/backend"})
            fs::create_directories(dir.path / sub);
        ::chmod((d + "/out").c_str(), 0777);
        ::chmod((d + "/tmp").c_str(), 01777);
        for (auto sub : {"daemon", "filter", "notifier", "cgi-bin", "monitor"})  // everything else from the system
            fs::create_directory_symlink(fs::path("/usr/lib/cups") / sub, dir.path / "bin" / sub);
        out = d + "/out";
        write_text(d + "/bin/backend/labelfile",
                   "#!/bin/sh\n"
                   "# CUPS backend for tests: copies the job's document into the directory of DEVICE_URI=labelfile:DIR\n"
                   "[ $# -eq 0 ] && { echo 'direct labelfile \"Unknown\" \"Label file\"'; exit 0; }\n"
                   "dir=${DEVICE_URI#labelfile:}\n"
                   "if [ -n \"$6\" ]; then cat \"$6\"; else cat; fi > \"$dir/job-$1.part\" && mv \"$dir/job-$1.part\" \"$dir/job-$1.out\"\n",
                   0700);
        port = free_port();
        write_text(d + "/cupsd.conf", "Listen 127.0.0.1:" + std::to_string(port) +
                                          "\nLogLevel info\nBrowsing No\nDefaultAuthType None\nWebInterface No\n"
                                          "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                                          "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n");
        write_text(d + "/cups-files.conf", "ServerRoot " + d + "\nServerBin " + d + "/bin\nRequestRoot " + d +
                                               "/spool\nCacheDir " + d + "/cache\nStateDir " + d + "/state\nTempDir " +
                                               d + "/tmp\nErrorLog " + d + "/log/error_log\nAccessLog " + d +
                                               "/log/access_log\nPageLog " + d + "/log/page_log\nSandboxing Relaxed\n");
        pid = ::fork();
        if (pid == 0) {
            const std::string log = d + "/log/cupsd.out";
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::execl("/usr/sbin/cupsd", "cupsd", "-f", "-c", (d + "/cupsd.conf").c_str(), "-s",
                    (d + "/cups-files.conf").c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !port_open(port); ++i) {
            int st = 0;
            if (::waitpid(pid, &st, WNOHANG) == pid) {
                pid = -1;
                error = "cupsd exited at start (see " + d + "/log)";
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (!port_open(port)) error = "cupsd did not listen on port " + std::to_string(port);
    }
    ~PrivateCupsd() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            int st = 0;
            ::waitpid(pid, &st, 0);
        }
    }
    std::string server() const { return "127.0.0.1:" + std::to_string(port); }
    int admin(const std::string& args) const {
        const std::string cmd = "lpadmin -h " + server() + " " + args + " >>" + dir.path.string() +
                                "/log/lpadmin.out 2>&1";
        return std::system(cmd.c_str());
    }
    std::optional<std::vector<uint8_t>> wait_job(int job) const {
        const std::string f = out + "/job-" + std::to_string(job) + ".out";
        for (int i = 0; i < 200; ++i) {
            if (fs::exists(f)) return read_bytes(f);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return std::nullopt;
    }
};

Bitmap rasterise_pdf(const std::vector<uint8_t>& pdf, int dpi, double* w_mm, double* h_mm) {
    std::vector<char> raw(pdf.begin(), pdf.end());
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(raw.data(), int(raw.size())));
    REQUIRE(doc);
    REQUIRE(doc->pages() == 1);
    std::unique_ptr<poppler::page> p(doc->create_page(0));
    *w_mm = p->page_rect().width() * 25.4 / 72.0;
    *h_mm = p->page_rect().height() * 25.4 / 72.0;
    poppler::page_renderer r;
    r.set_render_hint(poppler::page_renderer::antialiasing, false);
    r.set_image_format(poppler::image::format_gray8);
    poppler::image img = r.render_page(p.get(), dpi, dpi);
    Bitmap bm(img.width(), img.height(), dpi);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            if (static_cast<unsigned char>(img.const_data()[size_t(y) * size_t(img.bytes_per_row()) + size_t(x)]) < 128)
                bm.set(x, y);
    return bm;
}

}  // namespace

TEST_CASE("round trip: cups: through a private cupsd, every size") {
    REQUIRE(fs::exists("/usr/sbin/cupsd"));  // scripts/setup installs cups-daemon and cups-client
    REQUIRE(::geteuid() == 0);               // cupsd needs root to drop to its lp user and run backends
    PrivateCupsd cups;
    INFO("cupsd dir " << cups.dir.path.string());
    REQUIRE(cups.error.empty());
    REQUIRE(cups.admin("-p batchivo-labels -E -v labelfile:" + cups.out + " -m raw") == 0);
    ::setenv("CUPS_SERVER", cups.server().c_str(), 1);  // for the plain cups:QUEUE form below

    const Spool s = sample_spool();
    for (LabelSize size : kAllLabelSizes) {
        CAPTURE(info(size).name);
        auto bm = render_label(from_spool(s), size);
        REQUIRE(bm);
        const bool default_server = size == LabelSize::Thermal40x30;  // one size through $CUPS_SERVER
        auto spec = parse_printer_spec(default_server ? "cups:batchivo-labels"
                                                      : "cups:batchivo-labels@" + cups.server());
        REQUIRE(spec);
        auto r = print_label(*bm, *spec);
        REQUIRE(r);
        CHECK(r->cups_job_id > 0);
        auto doc = cups.wait_job(r->cups_job_id);
        REQUIRE(doc);
        CHECK(doc->size() == r->bytes);
        CHECK(std::string(doc->begin(), doc->begin() + 5) == "%PDF-");
        double w_mm = 0, h_mm = 0;
        Bitmap page = rasterise_pdf(*doc, bm->dpi, &w_mm, &h_mm);
        CHECK(std::abs(w_mm - bm->width_mm()) < 0.1);
        CHECK(std::abs(h_mm - bm->height_mm()) < 0.1);
        CHECK(page == *bm);  // what cupsd handed its backend is our PDF, dot for dot
        const auto c = size == LabelSize::A4Sheet3x8 ? sheet_cell(0, bm->dpi) : SheetCell{0, 0, page.width, page.height};
        auto text = scan(page, c.x, c.y, c.width, c.height);
        REQUIRE(text);
        CHECK(*text == label_payload(s));
        CHECK(resolves_to(*text, s));
    }

    // A queue that does not exist: CUPS's refusal comes back as a "printer" error naming the queue.
    auto bm = render_label(from_spool(s), LabelSize::Thermal40x30);
    REQUIRE(bm);
    auto r = print_label(*bm, *parse_printer_spec("cups:no-such-queue@" + cups.server()));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "printer");
    CHECK(r.error().message.find("no-such-queue") != std::string::npos);
    ::unsetenv("CUPS_SERVER");
}

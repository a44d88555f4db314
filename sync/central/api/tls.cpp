#include "sync/central/api/tls.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "sync/central/common/secrets.hpp"

namespace batchivo::central {

namespace {

namespace fs = std::filesystem;

struct Del {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(FILE* f) const { std::fclose(f); }
};
using Key = std::unique_ptr<EVP_PKEY, Del>;
using Cert = std::unique_ptr<X509, Del>;
using File = std::unique_ptr<FILE, Del>;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("TLS: " + what); }

Key new_key() {
    EVP_PKEY* k = EVP_EC_gen("P-256");
    if (!k) fail("EC key generation failed");
    return Key(k);
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ex = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ex) fail("bad extension " + value);
    X509_add_ext(cert, ex, -1);
    X509_EXTENSION_free(ex);
}

Cert make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool ca, long days,
               const std::vector<std::string>& hosts) {
    Cert c(X509_new());
    X509_set_version(c.get(), 2);
    const std::string serial = random_bytes(16);
    BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()), 16, nullptr);
    BN_set_bit(bn, 0);
    BN_clear_bit(bn, 127);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(c.get()), days * 86400L);
    X509_set_pubkey(c.get(), key);
    X509_NAME* name = X509_get_subject_name(c.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Batchivo"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509* iss = issuer ? issuer : c.get();
    X509_set_issuer_name(c.get(), X509_get_subject_name(iss));
    if (ca) {
        add_ext(c.get(), iss, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        add_ext(c.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign");
        add_ext(c.get(), iss, NID_subject_key_identifier, "hash");
    } else {
        add_ext(c.get(), iss, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(c.get(), iss, NID_key_usage, "critical,digitalSignature");
        add_ext(c.get(), iss, NID_ext_key_usage, "serverAuth");
        add_ext(c.get(), iss, NID_subject_key_identifier, "hash");
        add_ext(c.get(), iss, NID_authority_key_identifier, "keyid:always");
        std::string san;
        for (const auto& h : hosts) {
            if (h.empty()) continue;
            if (!san.empty()) san += ",";
            const bool ip = h.find_first_not_of("0123456789.") == std::string::npos || h.find(':') != std::string::npos;
            san += (ip ? "IP:" : "DNS:") + h;
        }
        add_ext(c.get(), iss, NID_subject_alt_name, san);
    }
    if (!X509_sign(c.get(), issuer_key, EVP_sha256())) fail("signing failed");
    return c;
}

// Writes to a temporary file in the same directory, fsyncs and renames it over `path`: a reader (or another
// process) sees the old file or the complete new one, never a half-written one.
template <class WriteFn>
void write_atomically(const std::string& path, mode_t mode, const char* what, WriteFn&& write) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        const mode_t old = umask(077);
        File f(std::fopen(tmp.c_str(), "wb"));
        umask(old);
        if (!f) fail("cannot write " + tmp);
        if (!write(f.get())) fail(std::string("cannot write ") + what + " " + path);
        if (std::fflush(f.get()) != 0 || ::fsync(fileno(f.get())) != 0) fail("cannot write " + tmp);
    }
    chmod(tmp.c_str(), mode);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        fail("cannot rename " + tmp + " to " + path);
    }
}

void write_key(const std::string& path, EVP_PKEY* k) {
    write_atomically(path, 0600, "key", [&](FILE* f) {
        return PEM_write_PrivateKey(f, k, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
}

void write_cert(const std::string& path, X509* c) {
    write_atomically(path, 0644, "certificate", [&](FILE* f) { return PEM_write_X509(f, c) == 1; });
}

// An exclusive flock on <dir>/.lock for as long as it lives: one process at a time creates TLS material.
class DirLock {
public:
    explicit DirLock(const std::string& dir) {
        const std::string path = dir + "/.lock";
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) fail("cannot open " + path);
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) {
                ::close(fd_);
                fail("cannot lock " + path);
            }
        }
    }
    ~DirLock() { ::close(fd_); }  // closing releases the lock
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;

private:
    int fd_ = -1;
};

Cert read_cert(const std::string& path) {
    File f(std::fopen(path.c_str(), "rb"));
    if (!f) fail("cannot read " + path);
    X509* c = PEM_read_X509(f.get(), nullptr, nullptr, nullptr);
    if (!c) fail("no PEM certificate in " + path);
    return Cert(c);
}

Key read_key(const std::string& path) {
    File f(std::fopen(path.c_str(), "rb"));
    if (!f) fail("cannot read " + path);
    EVP_PKEY* k = PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr);
    if (!k) fail("no PEM private key in " + path);
    return Key(k);
}

}  // namespace

TlsFiles ensure_tls(const std::string& dir, const std::vector<std::string>& extra_hosts) {
    fs::create_directories(dir);
    TlsFiles t{dir + "/server.pem", dir + "/server.key", dir + "/ca.pem"};
    const std::string ca_key = dir + "/ca.key";
    // Two `serve` processes started at once on a fresh data dir: the first creates everything under the lock, the
    // second then finds the files and loads them (each file is written whole by rename).
    DirLock lock(dir);
    if (!fs::exists(t.ca_file) || !fs::exists(ca_key)) {
        Key k = new_key();
        Cert c = make_cert(k.get(), "Batchivo Central local CA", nullptr, k.get(), true, 3650, {});
        write_key(ca_key, k.get());
        write_cert(t.ca_file, c.get());
        fs::remove(t.cert_file);  // a new CA invalidates the old server certificate
    }
    if (!fs::exists(t.cert_file) || !fs::exists(t.key_file)) {
        Cert ca = read_cert(t.ca_file);
        Key cak = read_key(ca_key);
        Key k = new_key();
        std::vector<std::string> hosts{"localhost", "127.0.0.1", "::1"};
        char hn[256] = {};
        if (gethostname(hn, sizeof hn - 1) == 0 && hn[0]) hosts.emplace_back(hn);
        for (const auto& h : extra_hosts) hosts.push_back(h);
        Cert c = make_cert(k.get(), "batchivo-central", ca.get(), cak.get(), false, 825, hosts);
        write_key(t.key_file, k.get());
        write_cert(t.cert_file, c.get());
    }
    return t;
}

std::string spki_pin_of_cert_file(const std::string& path) {
    Cert c = read_cert(path);
    EVP_PKEY* pk = X509_get0_pubkey(c.get());
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(pk, &der);
    if (n <= 0) fail("cannot encode public key");
    unsigned char md[32];
    EVP_Digest(der, static_cast<size_t>(n), md, nullptr, EVP_sha256(), nullptr);
    OPENSSL_free(der);
    return "sha256//" + base64(std::string(reinterpret_cast<char*>(md), 32));
}

std::string cert_der_base64url(const std::string& path) {
    Cert c = read_cert(path);
    unsigned char* der = nullptr;
    const int n = i2d_X509(c.get(), &der);
    if (n <= 0) fail("cannot encode certificate");
    std::string out = base64url(std::string(reinterpret_cast<char*>(der), static_cast<size_t>(n)));
    OPENSSL_free(der);
    return out;
}

}  // namespace batchivo::central

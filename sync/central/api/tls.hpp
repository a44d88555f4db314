// TLS material for batchivo-central: a self-signed CA plus a server certificate it signs (EC P-256, OpenSSL 3),
// kept in <data-dir>/tls/, or the operator's own certificate and key.
#pragma once

#include <string>
#include <vector>

namespace batchivo::central {

struct TlsFiles {
    std::string cert_file;  // server certificate (PEM)
    std::string key_file;   // server private key (PEM, mode 0600)
    std::string ca_file;    // CA certificate (PEM); empty when the operator's certificate is publicly trusted
};

// Ensures <dir>/ca.pem, ca.key, server.pem, server.key exist (generates them when missing) and returns the paths.
// `hosts`: DNS names / IP addresses for the certificate's subjectAltName (localhost and 127.0.0.1 are always in).
TlsFiles ensure_tls(const std::string& dir, const std::vector<std::string>& hosts = {});

// "sha256//<base64>" of the certificate's SubjectPublicKeyInfo (what libcurl's CURLOPT_PINNEDPUBLICKEY takes).
std::string spki_pin_of_cert_file(const std::string& cert_pem_file);
// base64url (no padding) of the DER encoding of the first certificate in a PEM file.
std::string cert_der_base64url(const std::string& cert_pem_file);

}  // namespace batchivo::central

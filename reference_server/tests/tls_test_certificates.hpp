#pragma once
// A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost, made
// with the openssl command in a temporary directory, for tests that speak real TLS.
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <unistd.h>

struct TlsTestCertificates {
  std::filesystem::path dir;
  std::string ca, certificate, key;

  TlsTestCertificates() {
    dir = std::filesystem::temp_directory_path() / ("scimulator-tls-" + std::to_string(getpid()) + "-" +
                                                    std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(dir);
    ca = (dir / "ca.pem").string();
    certificate = (dir / "server.pem").string();
    key = (dir / "server.key").string();
    std::string d = dir.string();
    std::string script =
        "cd '" + d + "' && "
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem "
        "-days 2 -subj '/CN=scimulator test CA' && "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr "
        "-subj '/CN=127.0.0.1' && "
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > ext.cnf && "
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 "
        "-extfile ext.cnf";
    if (std::system(("(" + script + ") >'" + d + "/openssl.log' 2>&1").c_str()) != 0)
      throw std::runtime_error("openssl could not make test certificates; see " + d + "/openssl.log");
  }
  ~TlsTestCertificates() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TlsTestCertificates(const TlsTestCertificates&) = delete;
  TlsTestCertificates& operator=(const TlsTestCertificates&) = delete;
};

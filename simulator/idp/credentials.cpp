#include "simulator/idp/credentials.hpp"

#include <stdexcept>

namespace sim {

std::string base64_encode(std::string_view bytes) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += table[(n >> 6) & 63];
    out += table[n & 63];
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? table[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Credential::authorization() const {
  switch (form) {
    case Form::basic: return "Basic " + base64_encode(user + ":" + secret);
    case Form::bearer: return "Bearer " + secret;
    case Form::header: return secret;
  }
  return {};
}

std::string Credential::describe() const {
  switch (form) {
    case Form::basic: return "basic " + (label.empty() ? user : label) + ":***";
    case Form::bearer: return "bearer " + (label.empty() ? std::string("***") : label + ":***");
    case Form::header: return "header ***";
  }
  return {};
}

Credential parse_credential(std::string_view spec) {
  Credential credential;
  auto fail = [&] {
    return std::invalid_argument("--auth \"" + std::string(spec.substr(0, spec.find(':'))) +
                                 ":…\" is not a credential; use basic:USER:PASS, bearer:TOKEN or header:VALUE");
  };
  if (spec.starts_with("basic:")) {
    std::string_view rest = spec.substr(6);
    auto colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0) throw fail();
    credential.form = Credential::Form::basic;
    credential.user = std::string(rest.substr(0, colon));
    credential.secret = std::string(rest.substr(colon + 1));
    credential.label = credential.user;
  } else if (spec.starts_with("bearer:") && spec.size() > 7) {
    credential.form = Credential::Form::bearer;
    credential.secret = std::string(spec.substr(7));
    // A ClickHouse-style "<key>:<secret>" token shows its key in reports.
    if (auto colon = credential.secret.find(':'); colon != std::string::npos) credential.label = credential.secret.substr(0, colon);
  } else if (spec.starts_with("header:") && spec.size() > 7) {
    credential.form = Credential::Form::header;
    credential.secret = std::string(spec.substr(7));
  } else {
    throw fail();
  }
  return credential;
}

}  // namespace sim

#pragma once
// How an IdP authenticates to the target (Okta O20, Entra E22, ClickHouse Cloud C1): Basic
// user:password, a Bearer token sent verbatim (Entra's "Secret Token", ClickHouse's
// "<key>:<secret>"), or a whole Authorization header value configured by hand.
#include <string>
#include <string_view>

namespace sim {

struct Credential {
  enum class Form { basic, bearer, header };
  Form form = Form::bearer;
  std::string user;    // basic
  std::string secret;  // basic password, bearer token, or the header value
  std::string label;   // e.g. the scim_ key, for reports (never the secret)

  // The Authorization header value.
  std::string authorization() const;
  // For reports: the form and label, never the secret ("basic scim_ab12…", "bearer ***").
  std::string describe() const;
};

// "basic:USER:PASS", "bearer:TOKEN" or "header:VALUE". Throws std::invalid_argument saying which
// forms exist.
Credential parse_credential(std::string_view spec);

std::string base64_encode(std::string_view bytes);

}  // namespace sim

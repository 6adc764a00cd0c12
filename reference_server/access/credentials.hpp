#pragma once
// The two ways an IdP presents a scim_ token: Okta sends HTTP Basic (username = key, password =
// secret); Entra ID sends "Bearer <key>:<secret>". Parsing only; TokenStore decides validity.
#include <string>
#include <string_view>

namespace refserver::access {

enum class CredentialForm { none, basic, bearer, malformed };

struct PresentedCredential {
  CredentialForm form = CredentialForm::none;
  std::string key;
  std::string secret;
  // For a bearer value that is not key:secret (e.g. a static token): the raw value.
  std::string bearer_value;
  // For malformed: what is wrong and how to fix it, fit for a SCIM error's detail. Never quotes
  // the presented secret.
  std::string problem;
};

PresentedCredential parse_authorization(std::string_view header);

}  // namespace refserver::access

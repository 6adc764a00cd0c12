#include "reference_server/access/credentials.hpp"

#include "scim/schema.hpp"

#include <openssl/evp.h>

#include <vector>

namespace refserver::access {

namespace {

bool starts_with_word(std::string_view text, std::string_view word) {
  return text.size() > word.size() && scim::iequals(text.substr(0, word.size()), word) && text[word.size()] == ' ';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool decode_base64(std::string_view in, std::string& out) {
  if (in.empty() || in.size() % 4 != 0) return false;
  std::vector<unsigned char> buffer(in.size() / 4 * 3 + 1);
  int n = EVP_DecodeBlock(buffer.data(), reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return false;
  // EVP_DecodeBlock counts the padding's zero bytes; drop one per '='.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) --size;
  out.assign(reinterpret_cast<const char*>(buffer.data()), size);
  return true;
}

PresentedCredential malformed(std::string problem) {
  PresentedCredential out;
  out.form = CredentialForm::malformed;
  out.problem = std::move(problem);
  return out;
}

}  // namespace

PresentedCredential parse_authorization(std::string_view header) {
  header = trim(header);
  PresentedCredential out;
  if (header.empty()) return out;
  if (starts_with_word(header, "Basic")) {
    std::string decoded;
    if (!decode_base64(trim(header.substr(6)), decoded))
      return malformed("the Basic credentials are not valid base64; send base64(\"<key>:<secret>\")");
    std::size_t colon = decoded.find(':');
    if (colon == std::string::npos)
      return malformed("the Basic credentials hold no ':'; the username is the scim_ key and the password its secret");
    out.form = CredentialForm::basic;
    out.key = decoded.substr(0, colon);
    out.secret = decoded.substr(colon + 1);
    return out;
  }
  if (starts_with_word(header, "Bearer")) {
    std::string_view value = trim(header.substr(7));
    // Entra ID adds "Bearer " itself; pasting it into the secret token field doubles it.
    if (starts_with_word(value, "Bearer") || scim::iequals(value, "Bearer"))
      return malformed("the token starts with a second \"Bearer \": enter only <key>:<secret> in the IdP's token field, "
                       "the IdP adds \"Bearer \" itself");
    out.form = CredentialForm::bearer;
    out.bearer_value = std::string(value);
    std::size_t colon = value.find(':');
    if (colon != std::string_view::npos) {
      out.key = std::string(value.substr(0, colon));
      out.secret = std::string(value.substr(colon + 1));
    }
    return out;
  }
  return malformed("unsupported Authorization scheme; send Basic <base64(key:secret)> or Bearer <key>:<secret>");
}

}  // namespace refserver::access

#include "suites/runner/catalog.hpp"

#include "suites/runner/data_case.hpp"
#include "suites/validate/response_rules.hpp"

#include <openssl/evp.h>

#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>

namespace suites {

std::vector<const CaseInfo*> Catalog::all() const {
  std::vector<const CaseInfo*> out;
  for (const auto& c : cases) out.push_back(&c.info);
  for (const auto& r : rules) out.push_back(&r);
  return out;
}

std::string Catalog::checksum() const {
  std::string text;
  for (const CaseInfo* info : all())
    text += info->id + "\n" + info->spec.citation() + "\n" + std::string(to_string(info->spec.level)) + "\n" +
            info->spec.quote + "\n";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::ostringstream hex;
  for (unsigned int i = 0; i < 8 && i < length; ++i) hex << std::hex << std::setw(2) << std::setfill('0') << int(digest[i]);
  return hex.str();
}

Catalog load_catalog(const std::filesystem::path& fixtures_dir) {
  Catalog catalog;
  catalog.cases = load_data_cases(fixtures_dir / "cases");
  for (auto& test_case : cpp_cases()) catalog.cases.push_back(std::move(test_case));
  for (const auto& rule : response_rules()) {
    CaseInfo info;
    info.id = rule.id;
    info.profile = "rfc";
    info.title = rule.title;
    info.spec = rule.spec;
    info.hint = rule.hint;
    info.keywords = {"response-rule"};
    info.source = "suites/validate/response_rules.cpp";
    catalog.rules.push_back(std::move(info));
  }
  std::map<std::string, std::string> sources;
  for (const CaseInfo* info : catalog.all()) {
    auto [it, fresh] = sources.emplace(info->id, info->source);
    if (!fresh)
      throw std::runtime_error("two cases share the id " + info->id + " (" + it->second + " and " + info->source +
                               "); rename one, ids must be unique");
  }
  return catalog;
}

}  // namespace suites

// The stored-text fast paths of a read: URLs rebased by a scan instead of a parse, and the
// default representation (RFC 7643 §7 "returned") still honoured when the text is served as is.
#include "reference_server/api/scim_service.hpp"
#include "reference_server/api/stored_json.hpp"
#include "reference_server/store/resource_store.hpp"
#include "scim/schema.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace refserver {
namespace {

using nlohmann::json;

std::string dump(const json& doc) { return doc.dump(-1, ' ', false, json::error_handler_t::replace); }

// What the parsing path of CrudEndpoint::stored_text produces: the reference for the scan.
std::string rebased_by_parsing(const std::string& text, const std::string& location, const std::string& base) {
  json parsed = json::parse(text);
  parsed["meta"]["location"] = location;
  if (auto members = parsed.find("members"); members != parsed.end() && members->is_array())
    for (auto& member : *members) {
      std::string type = member.contains("type") && member["type"].is_string() ? member["type"].get<std::string>() : "";
      std::string value =
          member.contains("value") && member["value"].is_string() ? member["value"].get<std::string>() : "";
      member["$ref"] = base + (type == "Group" ? "/Groups/" : "/Users/") + value;
    }
  return dump(parsed);
}

std::string rebased_by_scan(const std::string& text, const std::string& location, const std::string& base) {
  auto edits = stored_json::url_edits(text, location, base);
  if (!edits) return "<scan declined>";
  return stored_json::apply(text, *edits);
}

TEST(StoredJsonScan, FindsTopLevelMembersOnly) {
  std::string text = R"({"a":{"meta":1},"b":"x\"meta\":2","meta":{"location":"L"},"z":[1,{"meta":3}]})";
  auto meta = stored_json::find_member(text, 0, "meta");
  ASSERT_TRUE(meta);
  EXPECT_EQ(text.substr(meta->begin, meta->end - meta->begin), R"({"location":"L"})");
  auto location = stored_json::find_member(text, meta->begin, "location");
  ASSERT_TRUE(location);
  EXPECT_EQ(stored_json::plain_string(text, *location).value_or("?"), "L");
  EXPECT_FALSE(stored_json::find_member(text, 0, "location"));
  EXPECT_FALSE(stored_json::find_member(R"({"meta":)", 0, "meta"));
  EXPECT_FALSE(stored_json::find_member(R"({"a":"unterminated)", 0, "meta"));
}

TEST(StoredJsonScan, ArrayElementsAndStrings) {
  std::string text = R"([{"a":"]"},"s\\",true,-1.5e3,null,[]])";
  auto elements = stored_json::array_elements(text, 0);
  ASSERT_TRUE(elements);
  ASSERT_EQ(elements->size(), 6u);
  EXPECT_EQ(text.substr((*elements)[0].begin, (*elements)[0].end - (*elements)[0].begin), R"({"a":"]"})");
  EXPECT_FALSE(stored_json::plain_string(text, (*elements)[1]));  // holds an escape
  EXPECT_EQ(text.substr((*elements)[3].begin, (*elements)[3].end - (*elements)[3].begin), "-1.5e3");
  EXPECT_TRUE(stored_json::array_elements("[]", 0)->empty());
  EXPECT_FALSE(stored_json::array_elements("[1,", 0));
}

TEST(StoredJsonRebase, UserLocationMatchesTheParsingPath) {
  json user = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
               {"id", "u1"},
               {"userName", "bjensen"},
               {"profileUrl", "http://old.test/scim/v2/Users/u1"},
               {"name", {{"givenName", "B \"quoted\" \\ é"}}},
               {"meta",
                {{"created", "2024-01-01T00:00:00.000Z"},
                 {"location", "http://old.test/scim/v2/Users/u1"},
                 {"resourceType", "User"},
                 {"version", "W/\"3\""}}}};
  std::string text = dump(user);
  std::string base = "http://127.0.0.1:8080/scim/v2";
  EXPECT_EQ(rebased_by_scan(text, base + "/Users/u1", base), rebased_by_parsing(text, base + "/Users/u1", base));
  // The user's own URL-valued attribute is not the resource's location: left alone.
  EXPECT_NE(rebased_by_scan(text, base + "/Users/u1", base).find("\"profileUrl\":\"http://old.test/"),
            std::string::npos);
  // Already right: no edit at all.
  EXPECT_TRUE(stored_json::url_edits(text, "http://old.test/scim/v2/Users/u1", "http://old.test/scim/v2")->empty());
}

TEST(StoredJsonRebase, GroupMemberRefsMatchTheParsingPath) {
  json group = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                {"id", "g1"},
                {"displayName", "admins"},
                {"members",
                 {{{"value", "u1"}, {"type", "User"}, {"$ref", "http://old.test/scim/v2/Users/u1"}},
                  {{"value", "g2"}, {"type", "Group"}, {"$ref", "http://old.test/scim/v2/Groups/g2"}},
                  {{"value", "u3"}, {"$ref", "http://old.test/scim/v2/Users/u3"}, {"display", "x"}}}},
                {"meta", {{"location", "http://old.test/scim/v2/Groups/g1"}, {"resourceType", "Group"}}}};
  std::string text = dump(group);
  std::string base = "https://new.test:9443/scim/v2";
  std::string rebased = rebased_by_scan(text, base + "/Groups/g1", base);
  EXPECT_EQ(rebased, rebased_by_parsing(text, base + "/Groups/g1", base));
  EXPECT_EQ(json::parse(rebased)["members"][1]["$ref"], base + "/Groups/g2");
}

TEST(StoredJsonRebase, DeclinesWhatOnlyParsingHandles) {
  std::string base = "http://new.test/scim/v2";
  // No meta.location to rewrite: the parsing path adds one.
  EXPECT_FALSE(stored_json::url_edits(R"({"id":"u1","meta":{"resourceType":"User"}})", base + "/Users/u1", base));
  // A member without $ref: the parsing path adds it.
  EXPECT_FALSE(stored_json::url_edits(R"({"members":[{"value":"u1"}],"meta":{"location":"x"}})", base + "/Groups/g",
                                      base));
  // A member value with an escape.
  EXPECT_FALSE(stored_json::url_edits(R"({"members":[{"$ref":"r","value":"u\"1"}],"meta":{"location":"x"}})",
                                      base + "/Groups/g", base));
}

// A service over a registry in which User.nickName is returned "request".
class ReturnedRequest : public ::testing::Test {
 protected:
  ReturnedRequest() : store_(ResourceStore::open(":memory:")) {
    scim::SchemaRegistry fixtures = scim::SchemaRegistry::load(scim::default_fixtures_dir() / "schemas");
    json schemas = json::array(), types = json::array();
    for (const scim::Schema* schema : fixtures.schemas()) {
      json document = schema->document;
      for (auto& attribute : document["attributes"])
        if (attribute.value("name", "") == "nickName") attribute["returned"] = "request";
      schemas.push_back(std::move(document));
    }
    for (const auto& type : fixtures.resource_types()) types.push_back(type.document);
    registry_ = scim::SchemaRegistry::from_documents(schemas, types);
    ServiceConfig config;
    config.bearer_tokens = {"t"};
    config.base_url = "http://scim.test/scim/v2";
    service_ = std::make_unique<ScimService>(config, registry_, *store_);
  }

  transport::HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
    transport::HttpRequest request;
    request.method = method;
    request.target = "/scim/v2" + target;
    request.headers = {{"Authorization", "Bearer t"}, {"Content-Type", "application/scim+json"}};
    request.body = body;
    return service_->handle(request);
  }

  scim::SchemaRegistry registry_;
  std::unique_ptr<ResourceStore> store_;
  std::unique_ptr<ScimService> service_;
};

TEST_F(ReturnedRequest, AbsentFromTheDefaultRepresentationPresentWhenAskedFor) {
  auto created = call("POST", "/Users",
                      R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"nick","nickName":"N"})");
  ASSERT_EQ(created.status, 201) << created.body;
  json body = json::parse(created.body);
  EXPECT_FALSE(body.contains("nickName")) << created.body;
  std::string id = body["id"];

  auto read = call("GET", "/Users/" + id);
  ASSERT_EQ(read.status, 200);
  EXPECT_FALSE(json::parse(read.body).contains("nickName")) << read.body;
  EXPECT_EQ(json::parse(read.body)["userName"], "nick");

  auto listed = call("GET", "/Users?filter=userName%20eq%20%22nick%22");
  ASSERT_EQ(listed.status, 200);
  EXPECT_FALSE(json::parse(listed.body)["Resources"][0].contains("nickName")) << listed.body;

  auto asked = call("GET", "/Users/" + id + "?attributes=nickName");
  ASSERT_EQ(asked.status, 200);
  EXPECT_EQ(json::parse(asked.body).value("nickName", ""), "N") << asked.body;
}

}  // namespace
}  // namespace refserver

// The response validator against RFC 7643 (the schema): resource structure, common attributes,
// attribute data types and plurality, and the discovery documents of §5-§7. Each rule has a
// response that passes and one that is caught, and a caught response raises that rule only.
#include "validate_test_support.hpp"

#include <fstream>

namespace suites::testing {
namespace {

const std::string kUserPath = "/Users/2819c223-7f76-453a-919d-413861904646";

std::vector<Finding> get_user(const json& body) {
  return validate_exchange(exchange("GET", kUserPath, {200, body}), rfc_context());
}

// ---- A target with its own resource type, served through /Schemas and /ResourceTypes ------------

const scim::SchemaRegistry& gadget_registry() {
  static const scim::SchemaRegistry registry = scim::SchemaRegistry::from_documents(
      json::parse(R"([{
        "id": "urn:example:schemas:Gadget", "name": "Gadget",
        "attributes": [
          {"name": "label"},
          {"name": "weight", "type": "decimal"},
          {"name": "count", "type": "integer"},
          {"name": "seen", "type": "dateTime"},
          {"name": "blob", "type": "binary"},
          {"name": "link", "type": "reference", "referenceTypes": ["external"]},
          {"name": "enabled", "type": "boolean"},
          {"name": "tags", "multiValued": true},
          {"name": "owner", "type": "complex", "subAttributes": [{"name": "value"}, {"name": "since", "type": "dateTime"}]},
          {"name": "secret", "returned": "never", "mutability": "writeOnly"}
        ]}])"),
      json::parse(R"([{"name": "Gadget", "endpoint": "/Gadgets", "schema": "urn:example:schemas:Gadget"}])"));
  return registry;
}

json gadget() {
  return json::parse(R"({
    "schemas": ["urn:example:schemas:Gadget"],
    "id": "g1",
    "label": "box",
    "weight": 1.5,
    "count": 3,
    "seen": "2015-09-01T10:00:00.123+02:00",
    "blob": "AAEC/w==",
    "link": "https://example.com/gadgets/g1",
    "enabled": false,
    "tags": ["a", "b"],
    "owner": {"value": "u1", "since": "2015-01-01T00:00:00"},
    "meta": {"resourceType": "Gadget", "created": "2015-09-01T08:00:00Z", "lastModified": "2015-09-01T08:00:00Z",
             "location": "https://example.com/v2/Gadgets/g1"}
  })");
}

std::vector<Finding> get_gadget(const json& body) {
  ValidationContext context{&gadget_registry(), kBase, false};
  return validate_exchange(exchange("GET", "/Gadgets/g1", {200, body}), context);
}

json with(json body, const std::string& key, json value) {
  body[key] = std::move(value);
  return body;
}

TEST(Rfc7643_2_3_AttributeDataTypes, WellTypedResourceOfATargetDefinedTypePasses) {
  EXPECT_TRUE(clean(get_gadget(gadget())));
  // Decimals may be written without a fraction; null is the same as absent (§2.5).
  EXPECT_TRUE(clean(get_gadget(with(with(gadget(), "weight", 2), "label", nullptr))));
}

TEST(Rfc7643_2_3_1_String, NonStringIsCaught) {
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "label", 42)), rule::string_type, "/label"));
  json user = minimal_user();
  user["userName"] = 12345;
  EXPECT_TRUE(caught_only(get_user(user), rule::string_type, "/userName"));
}

TEST(Rfc7643_2_3_2_Boolean, StringBooleanIsCaught) {
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "enabled", "false")), rule::boolean_type, "/enabled"));
  json user = full_user();
  user["active"] = "True";
  EXPECT_TRUE(caught_only(get_user(user), rule::boolean_type, "/active"));
}

TEST(Rfc7643_2_3_3_Decimal, StringNumberIsCaught) {
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "weight", "1.5")), rule::decimal_type, "/weight"));
}

TEST(Rfc7643_2_3_4_Integer, FractionOrStringIsCaught) {
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "count", 3.0)), rule::integer_type, "/count"));
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "count", "3")), rule::integer_type, "/count"));
  EXPECT_TRUE(clean(get_gadget(with(gadget(), "count", -7))));
}

TEST(Rfc7643_2_3_5_DateTime, XsdDateTimesPass) {
  for (const char* ok : {"2008-01-23T04:56:22Z", "2008-01-23T04:56:22.5Z", "2008-01-23T04:56:22-08:00",
                         "2008-01-23T04:56:22", "2000-02-29T23:59:59+14:00", "2008-01-23T24:00:00Z"})
    EXPECT_TRUE(clean(get_gadget(with(gadget(), "seen", ok)))) << ok;
}

TEST(Rfc7643_2_3_5_DateTime, DatesWithoutTimesEpochsAndImpossibleDatesAreCaught) {
  for (json bad : {json("2008-01-23"), json("2008-01-23 04:56:22Z"), json("2008-01-23T04:56Z"),
                   json("2009-02-29T00:00:00Z"), json("2008-13-01T00:00:00Z"), json("2008-01-23T04:56:22+15:00"),
                   json("23/01/2008 04:56"), json(1200000000)})
    EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "seen", bad)), rule::date_time, "/seen")) << bad.dump();
  json user = minimal_user();
  user["meta"]["created"] = "2010-01-23";
  EXPECT_TRUE(caught_only(get_user(user), rule::date_time, "/meta/created"));
}

TEST(Rfc7643_2_3_6_Binary, NonBase64IsCaught) {
  for (const char* bad : {"AAEC/w=", "AAEC_w==", "AA=C", "-----BEGIN CERTIFICATE-----"})
    EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "blob", bad)), rule::binary_type, "/blob")) << bad;
  json user = full_user();
  user["x509Certificates"][0]["value"] = "MIID QzCC";
  EXPECT_TRUE(caught_only(get_user(user), rule::binary_type, "/x509Certificates/0/value"));
}

TEST(Rfc7643_2_3_7_Reference, NonStringIsCaught) {
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "link", json{{"href", "x"}})), rule::reference_type, "/link"));
  json g = group();
  g["members"][0]["$ref"] = 5;
  EXPECT_TRUE(caught_only(validate_exchange(exchange("GET", "/Groups/e9e30dba", {200, g}), rfc_context()),
                          rule::reference_type, "/members/0/$ref"));
}

TEST(Rfc7643_2_3_8_Complex, NonObjectIsCaught) {
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "owner", "u1")), rule::complex_type, "/owner"));
  json user = full_user();
  user["name"] = "Barbara Jensen";
  EXPECT_TRUE(caught_only(get_user(user), rule::complex_type, "/name"));
  json ext = enterprise_user();
  ext["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = "701984";
  EXPECT_TRUE(caught_only(get_user(ext), rule::complex_type,
                          "/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
}

TEST(Rfc7643_2_4_MultiValuedAttributes, SingleValueWhereAnArrayBelongsIsCaught) {
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "tags", "a")), rule::multi_valued_array, "/tags"));
  json user = full_user();
  user["emails"] = user["emails"][0];
  EXPECT_TRUE(caught_only(get_user(user), rule::multi_valued_array, "/emails"));
  // One element is still an array; an empty array is the same as absent.
  EXPECT_TRUE(clean(get_user(with(full_user(), "phoneNumbers", json::array()))));
}

TEST(Rfc7643_2_4_MultiValuedAttributes, TwoPrimaryValuesAreCaught) {
  json user = full_user();
  user["emails"][1]["primary"] = true;
  EXPECT_TRUE(caught_only(get_user(user), rule::one_primary, "/emails"));
  user["emails"][1]["primary"] = false;
  EXPECT_TRUE(clean(get_user(user)));
}

TEST(Rfc7643_7_AttributeCharacteristics, ArrayWhereOneValueBelongsIsCaught) {
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "label", json::array({"box"}))), rule::single_valued, "/label"));
  json user = minimal_user();
  user["userName"] = json::array({"bjensen@example.com"});
  EXPECT_TRUE(caught_only(get_user(user), rule::single_valued, "/userName"));
}

TEST(Rfc7643_7_AttributeCharacteristics, ReturnedNeverAttributesAreCaught) {
  // The RFC's own §8.2 listing carries the password; as a response it breaks returned "never".
  json user = full_user();
  user["password"] = "t1meMa$heen";
  auto findings = get_user(user);
  ASSERT_TRUE(caught_only(findings, rule::returned_never, "/password"));
  EXPECT_EQ(findings[0].actual.find("t1meMa"), std::string::npos) << "the secret must not be copied into the report";
  EXPECT_TRUE(caught_only(get_gadget(with(gadget(), "secret", "s3cret")), rule::returned_never, "/secret"));
}

// ---- RFC 7643 §3 SCIM Resources -------------------------------------------------------------------

TEST(Rfc7643_3_Resources, SchemasMustBeANonEmptyArrayOfDistinctStrings) {
  json user = minimal_user();
  user.erase("schemas");
  EXPECT_TRUE(caught_only(get_user(user), rule::schemas_attribute, "/schemas"));
  user["schemas"] = std::string(scim::urn::user);
  EXPECT_TRUE(caught_only(get_user(user), rule::schemas_attribute, "/schemas"));
  user["schemas"] = json::array();
  EXPECT_TRUE(caught_only(get_user(user), rule::schemas_attribute, "/schemas"));
  user["schemas"] = {std::string(scim::urn::user), "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"};
  EXPECT_TRUE(caught_only(get_user(user), rule::schemas_attribute, "/schemas/1"));
}

TEST(Rfc7643_3_Resources, CoreSchemaOfTheTypeMustBeListed) {
  json user = enterprise_user();
  user["schemas"] = {std::string(scim::urn::enterprise_user)};
  auto findings = get_user(user);
  ASSERT_TRUE(caught_only(findings, rule::schemas_core, "/schemas"));
  EXPECT_EQ(findings[0].expected, scim::urn::user);
  // URNs compare case-insensitively.
  user["schemas"] = {"urn:ietf:params:scim:schemas:core:2.0:user", std::string(scim::urn::enterprise_user)};
  EXPECT_TRUE(clean(get_user(user)));
}

TEST(Rfc7643_3_Resources, OnlyDeclaredSchemasMayBeListed) {
  json g = group();
  g["schemas"].push_back(std::string(scim::urn::enterprise_user));
  EXPECT_TRUE(caught_only(validate_exchange(exchange("GET", "/Groups/e9e30dba", {200, g}), rfc_context()),
                          rule::schemas_declared, "/schemas/1"));
}

TEST(Rfc7643_3_Resources, WithStandInSchemasTheTargetsDeclarationsAreNotJudged) {
  // The runner falls back to RFC 7643's schemas when the target's /Schemas is unusable; then a
  // URN or an attribute the target may well declare is no finding.
  ValidationContext context = rfc_context();
  context.schemas_declared_by_target = false;
  json g = group();
  g["schemas"].push_back("urn:example:extension:Team");
  g["urn:example:extension:Team"] = {{"lead", "x"}};
  g["favoriteColor"] = "blue";
  EXPECT_TRUE(clean(validate_exchange(exchange("GET", "/Groups/e9e30dba", {200, g}), context)));
  // The RFC's own definitions still hold.
  g["members"] = "everyone";
  EXPECT_TRUE(caught_only(validate_exchange(exchange("GET", "/Groups/e9e30dba", {200, g}), context),
                          rule::multi_valued_array, "/members"));
}

TEST(Rfc7643_3_Resources, ExtensionInTheBodyMustBeListedInSchemas) {
  json user = enterprise_user();
  user["schemas"] = {std::string(scim::urn::user)};
  EXPECT_TRUE(caught_only(get_user(user), rule::schemas_extensions,
                          "/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
  // An empty extension object carries no attribute and needs no listing.
  json empty = minimal_user();
  empty[std::string(scim::urn::enterprise_user)] = json::object();
  EXPECT_TRUE(clean(get_user(empty)));
}

TEST(Rfc7643_3_Resources, AttributeOutsideTheSchemaIsInformationalOnly) {
  json user = full_user();
  user["favoriteColor"] = "blue";
  user["emails"][0]["verified"] = true;
  auto findings = get_user(user);
  ASSERT_TRUE(caught_only(findings, rule::unknown_attribute));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].pointer, "/emails/0/verified");
  EXPECT_EQ(findings[1].pointer, "/favoriteColor");
  const RuleInfo* info = find_response_rule(rule::unknown_attribute);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->spec.level, Level::may);  // graded informational, never a failure
  // Attribute names are case-insensitive (RFC 7643 §2.1): a differently cased name is known.
  json cased = minimal_user();
  cased["USERNAME"] = cased["userName"];
  cased.erase("userName");
  EXPECT_TRUE(clean(get_user(cased)));
}

// ---- RFC 7643 §3.1 Common Attributes -----------------------------------------------------------

TEST(Rfc7643_3_1_CommonAttributes, IdMustBeANonEmptyString) {
  json user = minimal_user();
  user.erase("id");
  EXPECT_TRUE(caught_only(get_user(user), rule::id_present, "/id"));
  user["id"] = 2819;
  EXPECT_TRUE(caught_only(get_user(user), rule::id_present, "/id"));
  user["id"] = "";
  EXPECT_TRUE(caught_only(get_user(user), rule::id_present, "/id"));
}

TEST(Rfc7643_3_1_CommonAttributes, BulkIdIsReserved) {
  EXPECT_TRUE(caught_only(get_user(with(minimal_user(), "id", "bulkId")), rule::id_not_bulk_id, "/id"));
}

TEST(Rfc7643_3_1_CommonAttributes, MetaResourceTypeNamesTheType) {
  json user = minimal_user();
  user["meta"]["resourceType"] = "Group";
  auto findings = get_user(user);
  ASSERT_TRUE(caught_only(findings, rule::meta_resource_type, "/meta/resourceType"));
  EXPECT_EQ(findings[0].expected, "User");
}

TEST(Rfc7643_3_1_CommonAttributes, LastModifiedIsNotBeforeCreated) {
  json user = minimal_user();
  user["meta"]["lastModified"] = "2009-01-01T00:00:00Z";
  EXPECT_TRUE(caught_only(get_user(user), rule::last_modified_order, "/meta/lastModified"));
  // The same instant in another zone is not earlier ...
  user["meta"]["created"] = "2011-05-13T04:42:34Z";
  user["meta"]["lastModified"] = "2011-05-13T06:42:34+02:00";
  EXPECT_TRUE(clean(get_user(user)));
  // ... but one second before it is.
  user["meta"]["lastModified"] = "2011-05-13T06:42:33+02:00";
  EXPECT_TRUE(caught_only(get_user(user), rule::last_modified_order));
}

// ---- RFC 7643 §5 Service Provider Configuration ---------------------------------------------------

std::vector<Finding> get_spc(const json& body) {
  return validate_exchange(exchange("GET", "/ServiceProviderConfig", {200, body}), rfc_context());
}

TEST(Rfc7643_5_ServiceProviderConfiguration, FeaturesNeedABooleanSupported) {
  json spc = service_provider_config();
  spc.erase("etag");
  EXPECT_TRUE(caught_only(get_spc(spc), rule::spc_features, "/etag"));
  spc = service_provider_config();
  spc["patch"]["supported"] = "true";
  EXPECT_TRUE(caught_only(get_spc(spc), rule::spc_features, "/patch/supported"));
}

TEST(Rfc7643_5_ServiceProviderConfiguration, LimitsAreIntegers) {
  json spc = service_provider_config();
  spc["bulk"].erase("maxOperations");
  EXPECT_TRUE(caught_only(get_spc(spc), rule::spc_limits, "/bulk/maxOperations"));
  spc = service_provider_config();
  spc["filter"]["maxResults"] = "200";
  EXPECT_TRUE(caught_only(get_spc(spc), rule::spc_limits, "/filter/maxResults"));
  // An unsupported feature may leave its limits out.
  spc = service_provider_config();
  spc["bulk"] = {{"supported", false}};
  EXPECT_TRUE(clean(get_spc(spc)));
}

TEST(Rfc7643_5_ServiceProviderConfiguration, AuthenticationSchemesAreDescribed) {
  json spc = service_provider_config();
  spc["authenticationSchemes"][1].erase("type");
  EXPECT_TRUE(caught_only(get_spc(spc), rule::spc_authentication, "/authenticationSchemes/1/type"));
  spc.erase("authenticationSchemes");
  EXPECT_TRUE(caught_only(get_spc(spc), rule::spc_authentication, "/authenticationSchemes"));
}

TEST(Rfc7643_5_ServiceProviderConfiguration, SchemasNamesTheConfigurationSchema) {
  json spc = service_provider_config();
  spc["schemas"] = {std::string(scim::urn::resource_type)};
  EXPECT_TRUE(caught_only(get_spc(spc), rule::schemas_core, "/schemas"));
}

// ---- RFC 7643 §6 ResourceTypes and §7 Schemas, as served (RFC 7644 §4) -----------------------------

json fixture(const std::string& name) {
  std::ifstream in(scim::default_fixtures_dir() / "schemas" / name);
  return json::parse(in);
}

json fixture_schemas() {
  return json::array({fixture("user.json"), fixture("group.json"), fixture("enterprise_user.json")});
}

std::vector<Finding> get(const std::string& path, const json& body) {
  return validate_exchange(exchange("GET", path, {200, body}), rfc_context());
}

TEST(Rfc7643_6_ResourceType, ServedResourceTypesPassAsListOrArray) {
  EXPECT_TRUE(clean(get("/ResourceTypes", list_from(fixture("resource_types.json")))));
  EXPECT_TRUE(clean(get("/ResourceTypes", fixture("resource_types.json"))));
  EXPECT_TRUE(clean(get("/ResourceTypes/User", fixture("resource_types.json")[0])));
}

TEST(Rfc7643_6_ResourceType, NameEndpointSchemaAndExtensionShapeAreRequired) {
  json types = fixture("resource_types.json");
  types[1].erase("endpoint");
  EXPECT_TRUE(caught_only(get("/ResourceTypes", list_from(types)), rule::resource_type_document,
                          "/Resources/1/endpoint"));
  json user = fixture("resource_types.json")[0];
  user["schemaExtensions"][0].erase("required");
  EXPECT_TRUE(caught_only(get("/ResourceTypes/User", user), rule::resource_type_document,
                          "/schemaExtensions/0/required"));
}

TEST(Rfc7643_7_Schema, ServedSchemasPassAsListOrArray) {
  EXPECT_TRUE(clean(get("/Schemas", list_from(fixture_schemas()))));
  EXPECT_TRUE(clean(get("/Schemas", fixture_schemas())));
  EXPECT_TRUE(clean(get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", fixture("group.json"))));
}

TEST(Rfc7643_7_Schema, AttributeDefinitionsAreChecked) {
  json schemas = fixture_schemas();
  schemas[0]["attributes"][0]["type"] = "text";
  EXPECT_TRUE(caught_only(get("/Schemas", list_from(schemas)), rule::schema_document, "/Resources/0/attributes/0/type"));
  json group_schema = fixture("group.json");
  group_schema["attributes"][1]["subAttributes"][0].erase("name");
  EXPECT_TRUE(caught_only(get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", group_schema),
                          rule::schema_document, "/attributes/1/subAttributes/0/name"));
  group_schema = fixture("group.json");
  group_schema.erase("attributes");
  EXPECT_TRUE(caught_only(get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", group_schema),
                          rule::schema_document, "/attributes"));
}

TEST(Rfc7644_4_DiscoveryEndpoints, TheListShapeOfDiscoveryIsJudgedLikeAnyList) {
  json body = list_from(fixture_schemas());
  body["totalResults"] = 1;
  EXPECT_TRUE(caught_only(get("/Schemas", body), rule::total_covers_page, "/totalResults"));
}

}  // namespace
}  // namespace suites::testing

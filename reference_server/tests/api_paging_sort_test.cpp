// RFC 7644 §3.4.2.3 sorting and §3.4.2.4 pagination, through the handler.
#include "reference_server/tests/api_service_fixture.hpp"

#include <algorithm>

namespace refserver::testing {
namespace {

class Rfc7644_3_4_2_Paging : public ServiceTest {
 protected:
  void SetUp() override {
    // Created out of alphabetical order so creation order and name order differ.
    for (const char* name : {"delta", "Alpha", "charlie", "Bravo", "echo"}) ids_.push_back(create_user(name));
  }
  std::vector<std::string> names(const Reply& reply) {
    std::vector<std::string> out;
    for (const auto& r : reply.body["Resources"]) out.push_back(r.value("userName", ""));
    return out;
  }
  std::vector<std::string> ids_;
};

TEST_F(Rfc7644_3_4_2_Paging, ListResponseCarriesIntegerTotals) {
  Reply reply = call("GET", "/Users");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:ListResponse");
  ASSERT_TRUE(reply.body["totalResults"].is_number_integer());
  EXPECT_EQ(reply.body["totalResults"], 5);
  EXPECT_EQ(reply.body["startIndex"], 1);
  EXPECT_EQ(reply.body["itemsPerPage"], 5);
}

TEST_F(Rfc7644_3_4_2_Paging, DefaultOrderIsCreationOrderAndStable) {
  EXPECT_EQ(names(call("GET", "/Users")), (std::vector<std::string>{"delta", "Alpha", "charlie", "Bravo", "echo"}));
}

TEST_F(Rfc7644_3_4_2_Paging, StartIndexIsOneBased) {
  Reply reply = call("GET", "/Users?startIndex=2&count=2");
  EXPECT_EQ(names(reply), (std::vector<std::string>{"Alpha", "charlie"}));
  EXPECT_EQ(reply.body["startIndex"], 2);
  EXPECT_EQ(reply.body["itemsPerPage"], 2);
  EXPECT_EQ(reply.body["totalResults"], 5);
}

// "A value less than 1 SHALL be interpreted as 1." (RFC 7644 §3.4.2.4)
TEST_F(Rfc7644_3_4_2_Paging, StartIndexBelowOneIsOne) {
  for (const char* query : {"/Users?startIndex=0", "/Users?startIndex=-7"}) {
    Reply reply = call("GET", query);
    EXPECT_EQ(reply.body["startIndex"], 1) << query;
    EXPECT_EQ(names(reply).front(), "delta") << query;
  }
}

// "A value of "0" indicates that no resource results are to be returned except for
// "totalResults"." (RFC 7644 §3.4.2.4)
TEST_F(Rfc7644_3_4_2_Paging, CountZeroReturnsOnlyTotals) {
  Reply reply = call("GET", "/Users?count=0");
  EXPECT_EQ(reply.body["totalResults"], 5);
  EXPECT_EQ(reply.body["itemsPerPage"], 0);
  EXPECT_TRUE(reply.body["Resources"].empty());
}

// "A negative value SHALL be interpreted as "0"." (RFC 7644 §3.4.2.4)
TEST_F(Rfc7644_3_4_2_Paging, NegativeCountIsZero) {
  Reply reply = call("GET", "/Users?count=-3");
  EXPECT_EQ(reply.body["itemsPerPage"], 0);
  EXPECT_EQ(reply.body["totalResults"], 5);
}

TEST_F(Rfc7644_3_4_2_Paging, StartIndexBeyondTheEndIsAnEmptyPage) {
  Reply reply = call("GET", "/Users?startIndex=99");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["totalResults"], 5);
  EXPECT_EQ(reply.body["itemsPerPage"], 0);
}

TEST_F(Rfc7644_3_4_2_Paging, PagesTileTheWholeSet) {
  std::vector<std::string> seen;
  for (int start = 1; start <= 5; start += 2) {
    auto page = names(call("GET", "/Users?startIndex=" + std::to_string(start) + "&count=2"));
    seen.insert(seen.end(), page.begin(), page.end());
  }
  EXPECT_EQ(seen, names(call("GET", "/Users")));
}

// Pages count the resources that exist now: a deleted user leaves no gap, and groups created
// in between (they share the creation sequence) are not counted among the users.
TEST_F(Rfc7644_3_4_2_Paging, PagesSkipDeletedResourcesAndOtherTypes) {
  create_group("between");
  ASSERT_EQ(call("DELETE", "/Users/" + ids_[2]).status, 204);  // charlie
  create_user("foxtrot");
  Reply reply = call("GET", "/Users?startIndex=3&count=2");
  EXPECT_EQ(names(reply), (std::vector<std::string>{"Bravo", "echo"}));
  EXPECT_EQ(reply.body["totalResults"], 5);
  EXPECT_EQ(names(call("GET", "/Users?startIndex=5&count=10")), (std::vector<std::string>{"foxtrot"}));
  EXPECT_EQ(call("GET", "/Groups?startIndex=1&count=10").body["totalResults"], 1);
}

TEST_F(Rfc7644_3_4_2_Paging, NonIntegerPagingIsInvalidValue) {
  for (const char* query : {"/Users?count=1.5", "/Users?startIndex=abc", "/Users?count="}) {
    Reply reply = call("GET", query);
    EXPECT_EQ(reply.status, 400) << query;
    EXPECT_EQ(reply.body.value("scimType", ""), "invalidValue") << query;
  }
}

TEST(Rfc7644_3_4_2_4_MaxResults, CountOverTheMaximumIsCapped) {
  ServiceConfig config;
  config.max_results = 3;
  struct Small : ServiceTest {
    explicit Small(ServiceConfig c) : ServiceTest(c) {}
    void TestBody() override {}
  } test(config);
  for (const char* name : {"a", "b", "c", "d"}) test.create_user(name);
  Reply reply = test.call("GET", "/Users?count=100");
  EXPECT_EQ(reply.body["totalResults"], 4);
  EXPECT_EQ(reply.body["itemsPerPage"], 3);
}

// "String type attributes are case insensitive by default, unless the attribute type is
// defined as a case-exact string." (RFC 7644 §3.4.2.3)
TEST_F(Rfc7644_3_4_2_Paging, SortByUserNameIsCaseInsensitiveAscending) {
  EXPECT_EQ(names(call("GET", "/Users?sortBy=userName")),
            (std::vector<std::string>{"Alpha", "Bravo", "charlie", "delta", "echo"}));
}

TEST_F(Rfc7644_3_4_2_Paging, SortOrderDescending) {
  EXPECT_EQ(names(call("GET", "/Users?sortBy=userName&sortOrder=descending")),
            (std::vector<std::string>{"echo", "delta", "charlie", "Bravo", "Alpha"}));
}

TEST_F(Rfc7644_3_4_2_Paging, SortThenPage) {
  EXPECT_EQ(names(call("GET", "/Users?sortBy=userName&startIndex=2&count=2")),
            (std::vector<std::string>{"Bravo", "charlie"}));
}

TEST_F(Rfc7644_3_4_2_Paging, SortByCaseExactAttributeIsCaseSensitive) {
  // externalId is caseExact (RFC 7643 §3.1): "B" < "a" in code-point order.
  std::string id_a = create_user("x1", {{"externalId", "a"}});
  std::string id_b = create_user("x2", {{"externalId", "B"}});
  Reply reply = call("GET", "/Users?filter=userName%20sw%20%22x%22&sortBy=externalId");
  ASSERT_EQ(reply.body["Resources"].size(), 2u);
  EXPECT_EQ(reply.body["Resources"][0]["id"], id_b);
  EXPECT_EQ(reply.body["Resources"][1]["id"], id_a);
}

// "If the specified attribute is multi-valued, resources MUST be sorted by the primary value
// if present, or else the first value in the list, if any." (RFC 7644 §3.4.2.3)
TEST_F(Rfc7644_3_4_2_Paging, SortByMultiValuedUsesPrimaryValue) {
  std::string first = create_user("m1", {{"emails", {{{"value", "zz@x.com"}}, {{"value", "aa@x.com"}, {"primary", true}}}}});
  std::string second = create_user("m2", {{"emails", {{{"value", "mm@x.com"}}}}});
  Reply reply = call("GET", "/Users?filter=userName%20sw%20%22m%22&sortBy=emails.value");
  ASSERT_EQ(reply.body["Resources"].size(), 2u);
  EXPECT_EQ(reply.body["Resources"][0]["id"], first);
  EXPECT_EQ(reply.body["Resources"][1]["id"], second);
}

// RFC 7644 §3.4.2.3: resources without the sortBy value "are ordered last if ascending and
// first if descending".
TEST_F(Rfc7644_3_4_2_Paging, ResourcesWithoutTheSortValueComeLastAscendingFirstDescending) {
  std::string titled = create_user("t1", {{"title", "Zed"}});
  Reply ascending = call("GET", "/Users?sortBy=title&sortOrder=ascending");
  ASSERT_EQ(ascending.body["Resources"].size(), 6u);
  EXPECT_EQ(ascending.body["Resources"][0]["id"], titled);
  Reply descending = call("GET", "/Users?sortBy=title&sortOrder=descending");
  ASSERT_EQ(descending.body["Resources"].size(), 6u);
  EXPECT_EQ(descending.body["Resources"][5]["id"], titled);
}

TEST_F(Rfc7644_3_4_2_Paging, BadSortParametersAreInvalidValue) {
  for (const char* query : {"/Users?sortBy=noSuchAttribute", "/Users?sortBy=userName&sortOrder=sideways"}) {
    Reply reply = call("GET", query);
    EXPECT_EQ(reply.status, 400) << query;
    EXPECT_EQ(reply.body.value("scimType", ""), "invalidValue") << query;
  }
}

// RFC 7644 §3.4.3: the same query by POST to .search, parameters as JSON.
TEST_F(Rfc7644_3_4_2_Paging, SearchRequestBodyPagesAndSorts) {
  nlohmann::json search = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:SearchRequest"}},
                           {"sortBy", "userName"},
                           {"startIndex", 1},
                           {"count", 2},
                           {"attributes", {"userName"}}};
  Reply reply = call("POST", "/Users/.search", search);
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(names(reply), (std::vector<std::string>{"Alpha", "Bravo"}));
  EXPECT_FALSE(reply.body["Resources"][0].contains("meta"));
}

TEST_F(Rfc7644_3_4_2_Paging, RootSearchSpansUsersAndGroups) {
  create_group("Admins");
  nlohmann::json search = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:SearchRequest"}}, {"count", 0}};
  Reply reply = call("POST", "/.search", search);
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["totalResults"], 6);
}

}  // namespace
}  // namespace refserver::testing

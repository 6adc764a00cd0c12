// scim_ tokens: issued once, kept hashed, at most two active, revocation and expiry effective
// on the next verification, and both IdP ways of presenting them.
#include "access_test_fixture.hpp"

#include "reference_server/access/credentials.hpp"
#include "reference_server/access/token_store.hpp"

#include "basic_auth.hpp"

#include <fstream>
#include <iterator>

using namespace refserver::access;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;


}  // namespace

using Tokens = AccessFileTest;

TEST_F(Tokens, KeyIsPrefixedAndSecretVerifies) {
  TokenStore tokens(*db_);
  IssuedToken issued = tokens.create(kNow, kDefaultTokenLifetime, "okta");
  EXPECT_EQ(issued.info.key.rfind("scim_", 0), 0u);
  EXPECT_GE(issued.secret.size(), 32u);
  EXPECT_EQ(issued.info.expires_at, kNow + kDefaultTokenLifetime);
  EXPECT_EQ(tokens.verify(issued.info.key, issued.secret, kNow + 1).verdict, Verdict::accepted);
  EXPECT_EQ(tokens.verify(issued.info.key, issued.secret + "x", kNow + 1).verdict, Verdict::wrong_secret);
  EXPECT_EQ(tokens.verify("scim_nothing", issued.secret, kNow + 1).verdict, Verdict::unknown_key);
}

TEST_F(Tokens, SecretIsNeverStoredInTheFile) {
  IssuedToken issued = TokenStore(*db_).create(kNow);
  db_.reset();  // flush and close
  std::string bytes;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(path_ + suffix, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_NE(bytes.find(issued.info.key), std::string::npos) << "the key should be stored";
  EXPECT_EQ(bytes.find(issued.secret), std::string::npos) << "the secret must not be in the data file";
}

TEST_F(Tokens, AThirdActiveTokenIsRefusedUntilOneIsRevoked) {
  TokenStore tokens(*db_);
  IssuedToken first = tokens.create(kNow);
  tokens.create(kNow);
  try {
    tokens.create(kNow);
    FAIL() << "a third active token was issued";
  } catch (const AccessRefused& refused) {
    EXPECT_NE(std::string(refused.what()).find("revoke one first"), std::string::npos) << refused.what();
  }
  tokens.revoke(first.info.key, kNow + 5);
  EXPECT_NO_THROW(tokens.create(kNow + 6));
  EXPECT_EQ(tokens.active_count(kNow + 6), 2u);
  EXPECT_EQ(tokens.list().size(), 3u);
}

TEST_F(Tokens, ExpiredTokensDoNotCountAndAreRefused) {
  TokenStore tokens(*db_);
  IssuedToken short_lived = tokens.create(kNow, 60);
  tokens.create(kNow);
  EXPECT_EQ(tokens.verify(short_lived.info.key, short_lived.secret, kNow + 59).verdict, Verdict::accepted);
  EXPECT_EQ(tokens.verify(short_lived.info.key, short_lived.secret, kNow + 60).verdict, Verdict::expired);
  EXPECT_NO_THROW(tokens.create(kNow + 61)) << "an expired token is not active";
}

TEST_F(Tokens, RevocationTakesEffectOnTheNextVerificationAndSurvivesReopen) {
  IssuedToken issued = TokenStore(*db_).create(kNow);
  TokenStore(*db_).revoke(issued.info.key, kNow + 10);
  EXPECT_EQ(TokenStore(*db_).verify(issued.info.key, issued.secret, kNow + 11).verdict, Verdict::revoked);
  reopen();
  EXPECT_EQ(TokenStore(*db_).verify(issued.info.key, issued.secret, kNow + 12).verdict, Verdict::revoked);
  EXPECT_THROW(TokenStore(*db_).revoke("scim_unknown", kNow), AccessRefused);
}

TEST_F(Tokens, WrongSecretOfARevokedTokenSaysOnlyWrongSecret) {
  IssuedToken issued = TokenStore(*db_).create(kNow);
  TokenStore(*db_).revoke(issued.info.key, kNow);
  // Without the secret a caller learns nothing about the token's state.
  EXPECT_EQ(TokenStore(*db_).verify(issued.info.key, "guess", kNow).verdict, Verdict::wrong_secret);
}

TEST(Credentials, OktaBasicCarriesKeyAndSecret) {
  PresentedCredential c = parse_authorization(basic_authorization("scim_abc", "s3cr:et"));
  EXPECT_EQ(c.form, CredentialForm::basic);
  EXPECT_EQ(c.key, "scim_abc");
  EXPECT_EQ(c.secret, "s3cr:et") << "only the first colon separates username and password (RFC 7617)";
}

TEST(Credentials, EntraBearerCarriesKeyColonSecret) {
  PresentedCredential c = parse_authorization("Bearer scim_abc:def");
  EXPECT_EQ(c.form, CredentialForm::bearer);
  EXPECT_EQ(c.key, "scim_abc");
  EXPECT_EQ(c.secret, "def");
  EXPECT_EQ(parse_authorization("bearer plain-token").bearer_value, "plain-token");
  EXPECT_TRUE(parse_authorization("Bearer plain-token").key.empty());
}

TEST(Credentials, ADoubledBearerPrefixIsNamed) {
  PresentedCredential c = parse_authorization("Bearer Bearer scim_abc:def");
  EXPECT_EQ(c.form, CredentialForm::malformed);
  EXPECT_NE(c.problem.find("second \"Bearer \""), std::string::npos) << c.problem;
  EXPECT_EQ(c.problem.find("def"), std::string::npos) << "the problem must not quote the secret";
}

TEST(Credentials, BrokenBasicAndUnknownSchemesAreMalformed) {
  EXPECT_EQ(parse_authorization("Basic !!!").form, CredentialForm::malformed);
  EXPECT_EQ(parse_authorization("Basic bm9jb2xvbg==").form, CredentialForm::malformed);
  EXPECT_EQ(parse_authorization("Digest abc").form, CredentialForm::malformed);
  EXPECT_EQ(parse_authorization("").form, CredentialForm::none);
}

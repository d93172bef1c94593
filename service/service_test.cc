#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "service/accounts.h"
#include "service/credentials.h"
#include "service/store.h"
#include "storage/sqlite.h"

namespace vxp::service {
namespace {

namespace fs = std::filesystem;

std::string TempDb(const std::string& name) {
  fs::path path =
      fs::temp_directory_path() / ("vxp-service-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(path);
  fs::create_directories(path);
  return (path / "service.db").string();
}

std::string FileBytes(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::directory_iterator(dir)) {  // the database, its WAL and shared memory
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    all += s.str();
  }
  return all;
}

TEST(Passwords, VerifyOnlyTheirOwnPassword) {
  auto hash = HashPassword("đúng mật khẩu 123");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_EQ(hash->rfind("scrypt$15$8$1$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("đúng mật khẩu 123", *hash));
  EXPECT_FALSE(VerifyPassword("đúng mật khẩu 124", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
  // A random salt: the same password never hashes the same twice.
  EXPECT_NE(*hash, *HashPassword("đúng mật khẩu 123"));
}

TEST(Passwords, ATamperedOrForeignStoredValueVerifiesNothing) {
  std::string hash = *HashPassword("correct horse battery");
  std::string flipped = hash;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPassword("correct horse battery", flipped));
  for (const char* stored :
       {"", "plain", "scrypt$15$8$1$", "scrypt$31$8$1$AAAAAAAAAAAAAAAAAAAAAA==$x",
        "bcrypt$2b$12$whatever", "scrypt$15$8$1$!!!!$!!!!"}) {
    EXPECT_FALSE(VerifyPassword("correct horse battery", stored)) << stored;
  }
  // Parameters that would cost gigabytes or hours are refused, not run.
  std::string costly = hash;
  costly.replace(0, 10, "scrypt$25$");
  EXPECT_FALSE(VerifyPassword("correct horse battery", costly));
}

TEST(Passwords, AShortOneIsRefused) {
  auto r = HashPassword("short");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "service.input");
  // Characters, not bytes: ten Vietnamese letters are long enough.
  EXPECT_TRUE(HashPassword("đđđđđđđđđđ"));
  EXPECT_FALSE(HashPassword("đđđđđđđđđ"));
}

TEST(Tokens, AreRandomAndStoredAsDigests) {
  std::string a = *NewToken("vxpt_"), b = *NewToken("vxpt_");
  EXPECT_EQ(a.rfind("vxpt_", 0), 0u);
  EXPECT_EQ(a.size(), 5u + 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_of("+/="), std::string::npos);  // base64url: safe in a header or URL
  EXPECT_EQ(TokenDigest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempDb(::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto opened = OpenSqliteServiceStore(path_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    accounts_ = std::make_unique<Accounts>(*store_, [this] { return now_; });
    org_ = *store_->CreateOrganisation("Sở Thông tin và Truyền thông Hà Nội", now_);
  }
  void TearDown() override {
    accounts_.reset();
    store_.reset();
    fs::remove_all(fs::path(path_).parent_path());
  }

  std::string path_;
  Millis now_ = 1'790'000'000'000;
  std::unique_ptr<ServiceStore> store_;
  std::unique_ptr<Accounts> accounts_;
  Organisation org_;
};

TEST_F(AccountsTest, RegisterLogInUseTheSessionLogOut) {
  auto user = accounts_->Register(org_.id, " an@vendor.vn ", "Nguyễn Văn An", Role::kVendor,
                                  "mật khẩu đủ dài");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->email, "an@vendor.vn");
  auto in = accounts_->LogIn("AN@vendor.vn", "mật khẩu đủ dài");  // e-mails ignore ASCII case
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->user.id, user->id);
  EXPECT_NE(in->csrf, "");
  auto session = accounts_->SessionOf(in->session_token);
  ASSERT_TRUE(session && *session);
  EXPECT_EQ((*session)->user.name, "Nguyễn Văn An");
  EXPECT_EQ((*session)->user.role, Role::kVendor);
  EXPECT_EQ((*session)->csrf, in->csrf);
  ASSERT_TRUE(accounts_->LogOut(in->session_token));
  EXPECT_FALSE(*accounts_->SessionOf(in->session_token));
}

TEST_F(AccountsTest, ASessionExpires) {
  ASSERT_TRUE(accounts_->Register(org_.id, "b@vendor.vn", "B", Role::kCertifier, "0123456789"));
  auto in = *accounts_->LogIn("b@vendor.vn", "0123456789");
  now_ += AccountOptions{}.session_ttl - 1;
  EXPECT_TRUE(*accounts_->SessionOf(in.session_token));
  now_ += 1;
  EXPECT_FALSE(*accounts_->SessionOf(in.session_token));
}

TEST_F(AccountsTest, AWrongPasswordAndAnUnknownEmailGetTheSameAnswer) {
  ASSERT_TRUE(accounts_->Register(org_.id, "c@vendor.vn", "C", Role::kVendor, "0123456789"));
  auto wrong = accounts_->LogIn("c@vendor.vn", "9876543210");
  auto unknown = accounts_->LogIn("nobody@vendor.vn", "0123456789");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, "service.login");
  EXPECT_EQ(wrong.error().code, unknown.error().code);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AccountsTest, GuessingIsThrottledEvenWithTheRightPasswordUntilTheWindowPasses) {
  ASSERT_TRUE(accounts_->Register(org_.id, "d@vendor.vn", "D", Role::kVendor, "0123456789"));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(accounts_->LogIn("d@vendor.vn", "guess " + std::to_string(i)).error().code,
              "service.login");
  }
  auto refused = accounts_->LogIn("D@vendor.vn", "0123456789");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "service.throttled");
  EXPECT_NE(refused.error().message.find("try again in 900 s"), std::string::npos)
      << refused.error().message;
  // Another e-mail is not held back by it.
  ASSERT_TRUE(accounts_->Register(org_.id, "e@vendor.vn", "E", Role::kVendor, "0123456789"));
  EXPECT_TRUE(accounts_->LogIn("e@vendor.vn", "0123456789"));
  now_ += AccountOptions{}.window;
  EXPECT_TRUE(accounts_->LogIn("d@vendor.vn", "0123456789"));
}

TEST_F(AccountsTest, RegistrationRefusesWhatCannotBeAUser) {
  EXPECT_EQ(
      accounts_->Register(org_.id, "not an e-mail", "X", Role::kVendor, "0123456789").error().code,
      "service.input");
  EXPECT_EQ(
      accounts_->Register(org_.id, "x@vendor.vn", " ", Role::kVendor, "0123456789").error().code,
      "service.input");
  EXPECT_EQ(accounts_->Register(org_.id, "x@vendor.vn", "X", Role::kVendor, "short").error().code,
            "service.input");
  ASSERT_TRUE(accounts_->Register(org_.id, "x@vendor.vn", "X", Role::kVendor, "0123456789"));
  auto again = accounts_->Register(org_.id, "X@Vendor.vn", "X2", Role::kVendor, "0123456789");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "service.exists");
  auto org = store_->CreateOrganisation("sở thông tin và truyền thông hà nội", now_);
  EXPECT_FALSE(org);  // SQLite's NOCASE folds ASCII only: the Vietnamese letters match as written
  EXPECT_EQ(store_->CreateOrganisation("Sở Thông tin và Truyền thông Hà Nội", now_).error().code,
            "service.exists");
}

TEST_F(AccountsTest, ApiTokensAreShownOnceStoredAsDigestsAndRevocable) {
  User user = *accounts_->Register(org_.id, "ci@vendor.vn", "CI", Role::kVendor, "0123456789");
  std::string token = *accounts_->IssueApiToken(user, "CI of branch main");
  auto owner = accounts_->UserOfApiToken(token);
  ASSERT_TRUE(owner && *owner);
  EXPECT_EQ((*owner)->id, user.id);
  EXPECT_FALSE(*accounts_->UserOfApiToken(token + "x"));
  // Neither the token nor the session token is anywhere in the database's files.
  auto in = *accounts_->LogIn("ci@vendor.vn", "0123456789");
  std::string bytes = FileBytes(fs::path(path_).parent_path());
  EXPECT_EQ(bytes.find(token), std::string::npos);
  EXPECT_EQ(bytes.find(in.session_token), std::string::npos);
  EXPECT_EQ(bytes.find("0123456789"), std::string::npos);
  EXPECT_NE(bytes.find(TokenDigest(token)), std::string::npos);  // the scan sees the data
  auto tokens = *store_->ApiTokens(user.id);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].name, "CI of branch main");
  EXPECT_EQ(tokens[0].last_used, now_);
  EXPECT_FALSE(*store_->RevokeApiToken(user.id + 1, tokens[0].id));  // only its owner revokes it
  EXPECT_TRUE(*store_->RevokeApiToken(user.id, tokens[0].id));
  EXPECT_FALSE(*accounts_->UserOfApiToken(token));
  EXPECT_EQ(accounts_->IssueApiToken(user, "  ").error().code, "service.input");
}

TEST_F(AccountsTest, TheStoreKeepsEverythingAcrossARestart) {
  User user = *accounts_->Register(org_.id, "f@vendor.vn", "F", Role::kAdmin, "0123456789");
  std::string token = *accounts_->IssueApiToken(user, "ci");
  accounts_.reset();
  store_.reset();
  store_ = std::move(*OpenSqliteServiceStore(path_));
  accounts_ = std::make_unique<Accounts>(*store_, [this] { return now_; });
  EXPECT_TRUE(accounts_->LogIn("f@vendor.vn", "0123456789"));
  auto owner = *accounts_->UserOfApiToken(token);
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->role, Role::kAdmin);
  auto org = *store_->GetOrganisation(org_.id);
  ASSERT_TRUE(org);
  EXPECT_EQ(org->name, "Sở Thông tin và Truyền thông Hà Nội");
}

TEST(ServiceStore, ADatabaseFromANewerVxpkitIsRefused) {
  std::string path = TempDb("newer");
  ASSERT_TRUE(OpenSqliteServiceStore(path));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto r = OpenSqliteServiceStore(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "service.store");
  EXPECT_NE(r.error().message.find(path), std::string::npos);
  EXPECT_NE(r.error().message.find("schema version 99"), std::string::npos);
  fs::remove_all(fs::path(path).parent_path());
}

// Certification's records: a waiver and a decision are final, a certificate is issued with its
// decision or not at all, revocation is once, and every change is in the append-only audit log,
// which the database itself refuses to edit.
TEST(ServiceStore, CertificationRecordsAreFinalAndAudited) {
  std::string path = TempDb("certification");
  auto store = OpenSqliteServiceStore(path);
  ASSERT_TRUE(store) << store.error().message;
  ServiceStore& st = **store;
  auto org = st.CreateOrganisation("Acme", 1);
  ASSERT_TRUE(org);
  auto certifier = st.CreateUser(org->id, "c@office.vn", "C", Role::kCertifier, "x", 1);
  ASSERT_TRUE(certifier);
  SystemRecord sys;
  sys.organisation_id = org->id;
  sys.name = "eOffice";
  sys.hub_id = "h";
  auto made = st.CreateSystem(sys);
  ASSERT_TRUE(made);
  RunRow row{.system_id = made->id,
             .organisation_id = org->id,
             .started_by = certifier->id,
             .plan = "certification"};
  auto run = st.CreateRun(row, std::nullopt);
  ASSERT_TRUE(run && st.FinishRun(run->id, "FAIL", 1, "", 5));
  auto other = st.CreateRun(row, std::nullopt);
  ASSERT_TRUE(other);

  const std::int64_t who = certifier->id;
  ASSERT_TRUE(st.AddWaiver(
      {run->id, "HUB-SLOW", "the hub's 60 s stall is not in production", who, "", 10}));
  auto again = st.AddWaiver({run->id, "HUB-SLOW", "twice", who, "", 11});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "service.exists");
  auto empty_reason = st.AddWaiver({run->id, "HUB-ERRORS", "   ", who, "", 11});
  ASSERT_FALSE(empty_reason);
  EXPECT_EQ(empty_reason.error().code, "service.store");

  // An issuer that fails leaves no decision behind.
  auto failed = st.Decide(
      {run->id, std::string(kCertified), "", who, "", 20},
      [](std::int64_t) -> Result<CertificateRecord> { return MakeError("signing.key", "no key"); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "signing.key");
  EXPECT_FALSE(st.GetDecision(run->id)->has_value());

  auto issued = st.Decide({run->id, std::string(kCertified), "fine", who, "", 30},
                          [&](std::int64_t id) -> Result<CertificateRecord> {
                            CertificateRecord c;
                            c.system_id = made->id;
                            c.organisation_id = org->id;
                            c.issued = 30;
                            c.valid_until = 40;
                            c.json = "{\"id\":" + std::to_string(id) + "}";
                            c.signature = "sig";
                            c.pdf = std::string("%PDF\0\x01bytes", 12);
                            return c;
                          });
  ASSERT_TRUE(issued) << issued.error().message;
  ASSERT_TRUE(issued->has_value());
  EXPECT_EQ((*issued)->id, 1);
  auto twice = st.Decide({run->id, std::string(kNotCertified), "no", who, "", 31}, nullptr);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "service.exists");
  ASSERT_TRUE(st.Decide({other->id, std::string(kNotCertified), "fails", who, "", 32}, nullptr));
  EXPECT_FALSE(st.CertificateOfRun(other->id)->has_value());

  auto cert = st.GetCertificate(1);
  ASSERT_TRUE(cert && cert->has_value());
  EXPECT_EQ((*cert)->json, "{\"id\":1}");
  EXPECT_EQ((*cert)->pdf, std::string("%PDF\0\x01bytes", 12));  // bytes, NULs included
  ASSERT_TRUE(st.RevokeCertificate(1, "a fault found after issue", who, 50).value());
  auto revoked_twice = st.RevokeCertificate(1, "again", who, 51);
  ASSERT_FALSE(revoked_twice);
  EXPECT_EQ(revoked_twice.error().code, "service.exists");
  EXPECT_FALSE(st.RevokeCertificate(99, "none", who, 51).value());
  auto listed = st.Certificates();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().revoked, 50);
  EXPECT_EQ(listed->front().revoked_reason, "a fault found after issue");
  EXPECT_EQ(listed->front().revoked_by, "c@office.vn");

  auto log = st.AuditLog(run->id, 100);
  ASSERT_TRUE(log);
  std::vector<std::string> actions;
  for (const AuditEntry& e : *log) actions.push_back(e.action + " by " + e.by);
  EXPECT_EQ(actions, (std::vector<std::string>{"waiver by c@office.vn", "decision by c@office.vn",
                                               "certificate issued by c@office.vn",
                                               "revoked by c@office.vn"}));
  EXPECT_EQ(log->at(0).detail, "HUB-SLOW: the hub's 60 s stall is not in production");
  EXPECT_EQ(st.AuditLog(0, 100)->size(), 5u);  // the other run's decision too

  // The database refuses edits of what is final, whoever opens it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  for (const char* sql : {"UPDATE audit SET detail = 'x'", "DELETE FROM audit",
                          "UPDATE waivers SET reason = 'x'", "DELETE FROM decisions",
                          "UPDATE certificates SET json = '{}'", "DELETE FROM certificates"}) {
    char* why = nullptr;
    EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, &why), SQLITE_OK) << sql;
    const std::string said = why ? why : "";
    EXPECT_TRUE(said.find("final") != std::string::npos || said == "the audit log is append-only")
        << sql << ": " << said;
    sqlite3_free(why);
  }
  sqlite3_close(db);
  fs::remove_all(fs::path(path).parent_path());
}

}  // namespace
}  // namespace vxp::service

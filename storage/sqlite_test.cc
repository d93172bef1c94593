#include "storage/sqlite.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace vxp::sqlite {
namespace {

std::string TempDb(const std::string& name) {
  auto path = std::filesystem::temp_directory_path() /
              ("vxp-sqlite-test-" + std::to_string(::getpid()) + "-" + name + ".db");
  std::filesystem::remove(path);
  return path.string();
}

TEST(Migrate, AppliesEachMigrationOnceAndRemembersWhereItIs) {
  std::string path = TempDb("once");
  const std::vector<std::string_view> v1 = {"CREATE TABLE a(x INTEGER);"};
  const std::vector<std::string_view> v2 = {"CREATE TABLE a(x INTEGER);",
                                            "ALTER TABLE a ADD COLUMN y TEXT;"};
  {
    Connection c(*Open(path, "test.store"));
    ASSERT_TRUE(Migrate(c, v1, "test.store"));
    EXPECT_EQ(SchemaVersion(c), 1);
    ASSERT_TRUE(c.Exec("INSERT INTO a(x) VALUES (7)"));
    ASSERT_TRUE(Migrate(c, v1, "test.store"));  // nothing to do: no second CREATE TABLE
  }
  Connection c(*Open(path, "test.store"));
  ASSERT_TRUE(Migrate(c, v2, "test.store"));
  EXPECT_EQ(SchemaVersion(c), 2);
  Stmt s(c, "SELECT x, y FROM a");
  ASSERT_EQ(s.Step(), SQLITE_ROW);
  EXPECT_EQ(s.Int(0), 7);  // the data survived the migration
  EXPECT_TRUE(s.IsNull(1));
  std::filesystem::remove(path);
}

TEST(Migrate, AFailedMigrationChangesNothing) {
  std::string path = TempDb("failed");
  Connection c(*Open(path, "test.store"));
  auto r = Migrate(c, {"CREATE TABLE a(x INTEGER);", "CREATE TABLE b(y); CREATE TABLE a(z);"},
                   "test.store");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "test.store");
  EXPECT_NE(r.error().message.find("migration to schema version 2 failed"), std::string::npos);
  EXPECT_EQ(SchemaVersion(c), 1);
  Stmt s(c, "SELECT count(*) FROM sqlite_master WHERE name = 'b'");
  ASSERT_EQ(s.Step(), SQLITE_ROW);
  EXPECT_EQ(s.Int(0), 0);  // the half of version 2 that worked was rolled back
  std::filesystem::remove(path);
}

TEST(Migrate, ADatabaseFromANewerVxpkitIsRefusedUntouched) {
  std::string path = TempDb("newer");
  Connection c(*Open(path, "test.store"));
  ASSERT_TRUE(c.Exec("PRAGMA user_version = 9"));
  auto r = Migrate(c, {"CREATE TABLE a(x INTEGER);"}, "test.store");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("schema version 9, later than this vxpkit knows (1)"),
            std::string::npos);
  EXPECT_EQ(SchemaVersion(c), 9);
  std::filesystem::remove(path);
}

TEST(Open, AnUnopenablePathIsAnErrorNamingIt) {
  auto r = Open("/nonexistent-dir/x.db", "test.store");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "test.store");
  EXPECT_NE(r.error().message.find("/nonexistent-dir/x.db"), std::string::npos);
}

}  // namespace
}  // namespace vxp::sqlite

// Tests of the PostgreSQL adapter against a real server started for the test (LocalServer):
// parameters and binary results, errors with their SQLSTATE, migrations run by two connections at
// once, a newer schema refused, URLs with passwords redacted, the pool.
#include "storage/postgres.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <thread>

#include "storage/postgres_testing.h"

namespace vxp::pg {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

LocalServer& Server() { return TestServer(); }

std::unique_ptr<Connection> Connected(const std::string& db) {
  auto url = Server().CreateDatabase(db);
  EXPECT_TRUE(url) << url.error().message;
  auto c = Connect(*url, "test.connect");
  EXPECT_TRUE(c) << c.error().message;
  return std::move(*c);
}

TEST(Postgres, ParametersAndBinaryResults) {
  auto c = Connected("params");
  std::string bytes("a\0b\xff", 4);  // not text: NUL and an invalid UTF-8 byte
  auto r = c->Exec(
      "SELECT $1::bigint, $2::integer, $3::smallint, $4::boolean, $5::text, $6::bytea, NULL::text",
      {Param::Int(-7'000'000'001), Param::Int(-5), Param::Int(300), Param::Int(1),
       Param::Text("Bộ Nội vụ"), Param::Bytes(bytes)});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1);
  EXPECT_EQ(r->Int(0, 0), -7'000'000'001);
  EXPECT_EQ(r->Int(0, 1), -5);
  EXPECT_EQ(r->Int(0, 2), 300);
  EXPECT_TRUE(r->Bool(0, 3));
  EXPECT_EQ(r->Text(0, 4), "Bộ Nội vụ");
  EXPECT_EQ(r->Text(0, 5), bytes);
  EXPECT_TRUE(r->IsNull(0, 6));
  EXPECT_FALSE(r->IsNull(0, 5));
  EXPECT_TRUE(IsText("Bộ Nội vụ"));
  EXPECT_FALSE(IsText(bytes));
}

TEST(Postgres, AnErrorNamesTheCallersCodeAndTheSqlstate) {
  auto c = Connected("errors");
  ASSERT_TRUE(c->Exec("CREATE TABLE t(k text PRIMARY KEY)"));
  ASSERT_TRUE(c->Exec("INSERT INTO t VALUES($1)", {Param::Text("x")}));
  std::string state;
  auto r = c->Exec("INSERT INTO t VALUES($1)", {Param::Text("x")}, "store.write", &state);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "store.write");
  EXPECT_EQ(state, "23505");  // unique_violation
  EXPECT_THAT(r.error().message, HasSubstr("SQLSTATE 23505"));
  EXPECT_EQ(c->Exec("UPDATE t SET k = 'y'")->Affected(), 1);
}

// A pipeline is one transaction: all its statements or none, and the connection is usable after
// a failure in the middle.
TEST(Postgres, APipelineCommitsWholeOrNotAtAll) {
  auto c = Connected("pipeline");
  ASSERT_TRUE(c->Exec("CREATE TABLE t(k text PRIMARY KEY)"));
  auto ok = c->Pipeline({{"INSERT INTO t VALUES($1) RETURNING k", {Param::Text("a")}},
                         {"INSERT INTO t VALUES($1) RETURNING k", {Param::Text("b")}}},
                        "store.write");
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].Text(0, 0), "b");
  std::string state;
  auto failed = c->Pipeline({{"INSERT INTO t VALUES($1)", {Param::Text("c")}},
                             {"INSERT INTO t VALUES($1)", {Param::Text("a")}},  // exists
                             {"INSERT INTO t VALUES($1)", {Param::Text("d")}}},
                            "store.write", &state);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "store.write");
  EXPECT_EQ(state, "23505");
  EXPECT_EQ(c->Exec("SELECT count(*) FROM t")->Int(0, 0), 2);  // neither c nor d
}

TEST(Postgres, MigrationsRunOnceWhenTwoProcessesOpenTheDatabaseAtOnce) {
  auto url = Server().CreateDatabase("migrations");
  ASSERT_TRUE(url);
  std::vector<std::string_view> migrations = {
      "CREATE TABLE log(n integer); INSERT INTO log VALUES(1);",
      "INSERT INTO log VALUES(2); CREATE TABLE other(x text);",
  };
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto c = Connect(*url, "test.connect");
      if (!c || !Migrate(**c, "hub", migrations, "store.open")) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto c = Connect(*url, "test.connect");
  ASSERT_TRUE(c);
  auto rows = (*c)->Exec("SELECT count(*), sum(n) FROM log");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->Text(0, 0).size(), 8u);  // count(*) is a bigint
  EXPECT_EQ(rows->Int(0, 0), 2);
  // A program that knows only the first migration must not touch a database at the second.
  auto older = Migrate(**c, "hub", {migrations[0]}, "store.open");
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().code, "store.open");
  EXPECT_THAT(older.error().message, HasSubstr("version 2, newer than this vxpkit knows (1)"));
  // A failing migration is rolled back whole and named.
  auto failing = Migrate(**c, "other", {"CREATE TABLE z(x int); SELECT no_such_column;"}, "e");
  ASSERT_FALSE(failing);
  EXPECT_THAT(failing.error().message, HasSubstr("migration 1 of other"));
  EXPECT_EQ((*c)->Exec("SELECT to_regclass('z') IS NULL")->Bool(0, 0), true);
}

TEST(Postgres, ConnectionErrorsNameTheUrlWithoutItsPassword) {
  auto c = Connect("postgresql://vxp:s3cret@/none?host=/nonexistent-dir&port=5432", "store.open");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "store.open");
  EXPECT_THAT(c.error().message, HasSubstr("postgresql://vxp:***@/none"));
  EXPECT_THAT(c.error().message, Not(HasSubstr("s3cret")));
  EXPECT_EQ(Redact("postgres://u:p@h/db?password=q&x=1"), "postgres://u:***@h/db?password=***&x=1");
  EXPECT_EQ(Redact("postgresql://u:p/a?s@h/db"), "postgresql://u:***@h/db");  // not encoded
  EXPECT_EQ(Redact("postgresql://h:5432/db"), "postgresql://h:5432/db");
  EXPECT_TRUE(IsUrl("postgresql://h/db"));
  EXPECT_FALSE(IsUrl("hub.db"));
}

TEST(Postgres, APoolLendsEachConnectionToOneBorrowerAtATime) {
  auto url = Server().CreateDatabase("pool");
  ASSERT_TRUE(url);
  auto pool = Pool::Open(*url, 2, "store.open");
  ASSERT_TRUE(pool) << pool.error().message;
  std::atomic<int> inside{0}, most{0}, failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 20; ++j) {
        auto c = (*pool)->Borrow();
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        if (!c->Exec("SELECT pg_backend_pid()")) ++failures;
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_LE(most.load(), 2);
}

// A connection whose server process was ended is opened again on its next use.
TEST(Postgres, AConnectionTheServerDroppedIsOpenedAgain) {
  auto c = Connected("dropped");
  auto pid = c->Exec("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid);
  auto other = Connect(Server().Url("dropped"), "test.connect");
  ASSERT_TRUE(other);
  ASSERT_TRUE(
      (*other)->Exec("SELECT pg_terminate_backend($1::integer)", {Param::Int(pid->Int(0, 0))}));
  auto failed = c->Exec("SELECT 1");  // the statement that finds the connection gone fails
  EXPECT_FALSE(failed);
  auto again = c->Exec("SELECT 1");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->Int(0, 0), 1);
}

}  // namespace
}  // namespace vxp::pg

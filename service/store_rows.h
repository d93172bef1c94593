// The stores' rows as records, shared by the SQLite and PostgreSQL ServiceStores
// (sqlite_service_store.cc, postgres_service_store.cc): the columns each record is selected with,
// in one order, and the reading of a row of them. A row is anything with Text(col) and Int(col)
// (sqlite::Stmt; PgRow below for PostgreSQL's rows). Internal to the service library.
#ifndef VXP_SERVICE_STORE_ROWS_H_
#define VXP_SERVICE_STORE_ROWS_H_

#include <cstdint>
#include <string>

#include "service/store.h"

namespace vxp::service {

// The user columns are the store's own (PostgreSQL casts its boolean); seven, in this order:
// id, organisation_id, email, name, role, created_ms, disabled (0 or 1).
constexpr int kUserColumnCount = 7;

template <typename Row>
User ReadUser(Row&& r) {
  User u;
  u.id = r.Int(0);
  u.organisation_id = r.Int(1);
  u.email = r.Text(2);
  u.name = r.Text(3);
  u.role = ParseRole(r.Text(4)).value_or(Role::kVendor);
  u.created = r.Int(5);
  u.disabled = r.Int(6) != 0;
  return u;
}

constexpr const char* kSystemColumns =
    "id, organisation_id, name, product, product_version, agencies, capabilities, control, "
    "hub_id, hub_secret, created_ms, webhook";

template <typename Row>
SystemRecord ReadSystem(Row&& r) {
  SystemRecord s;
  s.id = r.Int(0);
  s.organisation_id = r.Int(1);
  s.name = r.Text(2);
  s.product = r.Text(3);
  s.product_version = r.Text(4);
  s.agencies = SplitWords(r.Text(5));
  s.capabilities = SplitWords(r.Text(6));
  s.control = r.Text(7);
  s.hub_id = r.Text(8);
  s.hub_secret = r.Text(9);
  s.created = r.Int(10);
  s.webhook = r.Text(11);
  return s;
}

constexpr const char* kRunColumns =
    "id, system_id, organisation_id, started_by, plan, profile, status, verdict, exit_code, "
    "summary, started_ms, finished_ms, request, worker, worker_url";

template <typename Row>
RunRow ReadRun(Row&& r) {
  RunRow run;
  run.id = r.Int(0);
  run.system_id = r.Int(1);
  run.organisation_id = r.Int(2);
  run.started_by = r.Int(3);
  run.plan = r.Text(4);
  run.profile = r.Text(5);
  run.status = r.Text(6);
  run.verdict = r.Text(7);
  run.exit_code = static_cast<int>(r.Int(8));
  run.summary = r.Text(9);
  run.started = r.Int(10);
  run.finished = r.Int(11);
  run.request = r.Text(12);
  run.worker = r.Text(13);
  run.worker_url = r.Text(14);
  return run;
}

// Without the PDF (column 11 when a query adds it).
constexpr const char* kCertificateColumns =
    "c.id, c.run_id, c.system_id, c.organisation_id, c.issued_ms, c.valid_until_ms, c.json, "
    "c.signature, c.revoked_ms, c.revoked_reason, COALESCE(u.email, '')";

template <typename Row>
CertificateRecord ReadCertificate(Row&& r) {
  CertificateRecord c;
  c.id = r.Int(0);
  c.run_id = r.Int(1);
  c.system_id = r.Int(2);
  c.organisation_id = r.Int(3);
  c.issued = r.Int(4);
  c.valid_until = r.Int(5);
  c.json = r.Text(6);
  c.signature = r.Text(7);
  c.revoked = r.Int(8);
  c.revoked_reason = r.Text(9);
  c.revoked_by = r.Text(10);
  return c;
}

}  // namespace vxp::service

#endif  // VXP_SERVICE_STORE_ROWS_H_

// Accounts of the conformance service: registering users, logging in and out (sessions with a
// CSRF token each), and API tokens for CI, over a ServiceStore. The rules a person meets:
//   - a wrong password and an unknown e-mail get the same answer, after the same work (scrypt
//     runs either way), so nobody learns which e-mails are registered;
//   - after `max_failures` failed logins for one e-mail within `window`, that e-mail is refused
//     ("service.throttled", saying when to try again) without its password being checked, until
//     the window has passed: online guessing gets a handful of tries per quarter of an hour.
//     The failures are kept in the store (by a digest of the e-mail, never the e-mail itself),
//     so every instance on a shared database counts the same ones, and a restart forgets none;
//     the store holds one window of them;
//   - a session lasts `session_ttl`; its token (a cookie) and its CSRF token are random, and only
//     the session token's digest is stored;
//   - an API token is shown once, when issued, and stored as its digest; it can be revoked.
#ifndef VXP_SERVICE_ACCOUNTS_H_
#define VXP_SERVICE_ACCOUNTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/common/clock.h"
#include "core/common/result.h"
#include "service/store.h"

namespace vxp::service {

struct AccountOptions {
  int max_failures = 5;
  Millis window = 15 * 60 * 1000;
  Millis session_ttl = 12 * 3600 * 1000;
};

class Accounts {
 public:
  Accounts(ServiceStore& store, Clock clock, AccountOptions options = {});

  // A new user of organisation `organisation_id`. Errors "service.input" (an empty name, an
  // e-mail that is not one, a password too short), "service.exists", "service.store",
  // "service.crypto".
  Result<User> Register(std::int64_t organisation_id, std::string_view email, std::string_view name,
                        Role role, std::string_view password);

  struct LoggedIn {
    std::string session_token;  // for the cookie; the service keeps only its digest
    std::string csrf;           // to put in every form and state-changing request
    User user;
  };
  // Errors "service.login" (wrong e-mail or password, one message for both),
  // "service.throttled", "service.store", "service.crypto".
  Result<LoggedIn> LogIn(std::string_view email, std::string_view password);
  // The session of `session_token`, if it exists and has not expired.
  Result<std::optional<Session>> SessionOf(std::string_view session_token);
  Result<void> LogOut(std::string_view session_token);

  // A new API token for `user`, named `name`: the token itself, which is never shown again.
  // Errors "service.input" (an empty name), "service.store", "service.crypto".
  Result<std::string> IssueApiToken(const User& user, std::string_view name);
  // The owner of `token`, or nullopt (unknown or revoked).
  Result<std::optional<User>> UserOfApiToken(std::string_view token);

 private:
  ServiceStore& store_;
  Clock clock_;
  AccountOptions options_;
};

}  // namespace vxp::service

#endif  // VXP_SERVICE_ACCOUNTS_H_

#include "service/accounts.h"

#include <algorithm>

#include "core/common/datetime.h"
#include "core/common/text.h"
#include "service/credentials.h"

namespace vxp::service {
namespace {

// One '@' with something on each side and a dot in the domain: enough to catch a name typed into
// the e-mail field; the address is not otherwise judged.
bool LooksLikeEmail(std::string_view email) {
  size_t at = email.find('@');
  return at != std::string_view::npos && at > 0 &&
         email.find('@', at + 1) == std::string_view::npos &&
         email.find('.', at) != std::string_view::npos && email.back() != '.' &&
         email.find_first_of(" \t\r\n<>\"") == std::string_view::npos && email.size() <= 254;
}

// A hash to check unknown e-mails against, so that they cost what a wrong password does.
const std::string& DecoyHash() {
  static const std::string hash = HashPassword("vxpkit decoy password").value_or("");
  return hash;
}

}  // namespace

Accounts::Accounts(ServiceStore& store, Clock clock, AccountOptions options)
    : store_(store), clock_(std::move(clock)), options_(options) {}

Result<User> Accounts::Register(std::int64_t organisation_id, std::string_view email,
                                std::string_view name, Role role, std::string_view password) {
  std::string address = AsciiTrim(email), who = AsciiTrim(name);
  if (!LooksLikeEmail(address)) {
    return MakeError("service.input", "'" + address + "' is not an e-mail address");
  }
  if (who.empty()) return MakeError("service.input", "a user has a name");
  auto hash = HashPassword(password);
  if (!hash) return tl::unexpected(hash.error());
  return store_.CreateUser(organisation_id, address, who, role, *hash, clock_());
}

Result<Accounts::LoggedIn> Accounts::LogIn(std::string_view email, std::string_view password) {
  const Millis now = clock_();
  // Whatever was typed, as a fixed-size digest: the store keeps no e-mail a stranger tried.
  const std::string key = TokenDigest("login:" + AsciiLower(AsciiTrim(email)));
  {
    // Throttled or not is the store's answer; without one, nobody is let in.
    auto times = store_.LoginFailures(key, now - options_.window);
    if (!times) return tl::unexpected(times.error());
    if (static_cast<int>(times->size()) >= options_.max_failures) {
      Millis again = times->front() + options_.window;
      return MakeError("service.throttled",
                       "too many failed logins for this e-mail: try again in " +
                           FormatDuration(std::chrono::milliseconds(again - now)));
    }
  }
  auto found = store_.FindLogin(AsciiTrim(email));
  if (!found) return tl::unexpected(found.error());
  // A disabled account gets the answer of a wrong password, after the same work.
  bool ok = VerifyPassword(password, *found ? (*found)->second : DecoyHash()) &&
            found->has_value() && !(*found)->first.disabled;
  if (!ok) {
    if (auto kept = store_.AddLoginFailure(key, now, now - options_.window); !kept) {
      return tl::unexpected(kept.error());
    }
    return MakeError("service.login", "wrong e-mail or password");
  }
  if (auto cleared = store_.ClearLoginFailures(key); !cleared) {
    return tl::unexpected(cleared.error());
  }
  auto token = NewToken("vxps_");
  auto csrf = NewToken("");
  if (!token) return tl::unexpected(token.error());
  if (!csrf) return tl::unexpected(csrf.error());
  const User& user = (*found)->first;
  if (auto put = store_.PutSession(TokenDigest(*token), user.id, *csrf, now + options_.session_ttl);
      !put) {
    return tl::unexpected(put.error());
  }
  return LoggedIn{*token, *csrf, user};
}

Result<std::optional<Session>> Accounts::SessionOf(std::string_view session_token) {
  return store_.FindSession(TokenDigest(session_token), clock_());
}

Result<void> Accounts::LogOut(std::string_view session_token) {
  return store_.DeleteSession(TokenDigest(session_token));
}

Result<std::string> Accounts::IssueApiToken(const User& user, std::string_view name) {
  std::string label = AsciiTrim(name);
  if (label.empty()) return MakeError("service.input", "an API token has a name");
  auto token = NewToken("vxpt_");
  if (!token) return tl::unexpected(token.error());
  auto put = store_.PutApiToken(TokenDigest(*token), user.id, label, clock_());
  if (!put) return tl::unexpected(put.error());
  return *token;
}

Result<std::optional<User>> Accounts::UserOfApiToken(std::string_view token) {
  return store_.UseApiToken(TokenDigest(token), clock_());
}

}  // namespace vxp::service

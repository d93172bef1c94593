#include "service/credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdint>
#include <vector>

namespace vxp::service {
namespace {

constexpr int kLogN = 15, kR = 8, kP = 1;
constexpr size_t kSaltBytes = 16, kKeyBytes = 32;
// scrypt needs 128 * r * N bytes (32 MiB here); OpenSSL refuses more than maxmem.
constexpr std::uint64_t kMaxMem = 64ull << 20;

std::string Base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

std::vector<unsigned char> Unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return {};
  std::vector<unsigned char> out(text.size() / 4 * 3);
  int len = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
  if (len < 0) return {};
  size_t pad = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  out.resize(static_cast<size_t>(len) - pad);
  return out;
}

bool Scrypt(std::string_view password, const unsigned char* salt, size_t salt_len, int log_n, int r,
            int p, unsigned char* key, size_t key_len) {
  return EVP_PBE_scrypt(password.data(), password.size(), salt, salt_len, std::uint64_t{1} << log_n,
                        static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(p), kMaxMem, key,
                        key_len) == 1;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// Characters of UTF-8 text (bytes that do not continue a sequence).
size_t Characters(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool SmallInt(std::string_view s, int lo, int hi, int& out) {
  if (s.empty() || s.size() > 2) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return false;
  out = v;
  return true;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  if (Characters(password) < kMinPasswordLength) {
    return MakeError("service.input", "a password has at least " +
                                          std::to_string(kMinPasswordLength) + " characters");
  }
  unsigned char salt[kSaltBytes], key[kKeyBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) {
    return MakeError("service.crypto", "no random salt for the password (RAND_bytes failed)");
  }
  if (!Scrypt(password, salt, sizeof salt, kLogN, kR, kP, key, sizeof key)) {
    return MakeError("service.crypto", "scrypt failed");
  }
  return "scrypt$" + std::to_string(kLogN) + "$" + std::to_string(kR) + "$" + std::to_string(kP) +
         "$" + Base64(salt, sizeof salt) + "$" + Base64(key, sizeof key);
}

bool VerifyPassword(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts = Split(stored, '$');
  int log_n = 0, r = 0, p = 0;
  // Bounds keep a tampered row from asking for gigabytes or hours.
  if (parts.size() != 6 || parts[0] != "scrypt" || !SmallInt(parts[1], 10, 20, log_n) ||
      !SmallInt(parts[2], 1, 16, r) || !SmallInt(parts[3], 1, 4, p)) {
    return false;
  }
  std::vector<unsigned char> salt = Unbase64(parts[4]), want = Unbase64(parts[5]);
  if (salt.size() < 8 || want.size() < 16 || want.size() > 64) return false;
  std::vector<unsigned char> got(want.size());
  if (!Scrypt(password, salt.data(), salt.size(), log_n, r, p, got.data(), got.size())) {
    return false;
  }
  return CRYPTO_memcmp(got.data(), want.data(), want.size()) == 0;
}

Result<std::string> NewToken(std::string_view prefix) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return MakeError("service.crypto", "no random token (RAND_bytes failed)");
  }
  std::string text = Base64(bytes, sizeof bytes);
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!text.empty() && text.back() == '=') text.pop_back();
  return std::string(prefix) + text;
}

std::string TokenDigest(std::string_view token) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), md);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : md) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace vxp::service

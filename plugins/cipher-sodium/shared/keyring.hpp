// Every configured master key of one cipher instance, by version, loaded
// once at create and read-only afterwards (safe to share between threads).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "key_options.hpp"
#include "secret_bytes.hpp"

namespace vigil::keyring {

class Keyring {
 public:
  // Loads every key; throws std::invalid_argument naming the first that fails.
  Keyring(const KeyOptions& options, std::string_view plugin);

  uint32_t current_version() const noexcept { return current_; }
  const SecretBytes& current() const { return keys_.at(current_); }
  // nullptr when `version` is not configured.
  const SecretBytes* find(uint32_t version) const noexcept;
  // The current version first, then the others newest first: the order in
  // which to try keys on a token that does not say which one made it.
  const std::vector<uint32_t>& trial_order() const noexcept { return trial_order_; }
  // "1, 2, 5", for error messages.
  std::string versions_text() const;

 private:
  std::map<uint32_t, SecretBytes> keys_;
  uint32_t current_ = 0;
  std::vector<uint32_t> trial_order_;
};

}  // namespace vigil::keyring

#include "keyring.hpp"

#include "key_source.hpp"

namespace vigil::keyring {

Keyring::Keyring(const KeyOptions& options, std::string_view plugin) : current_(options.current) {
  for (const KeySource& source : options.keys) keys_.emplace(source.version, load_key(source, plugin));
  trial_order_.push_back(current_);
  for (auto it = keys_.rbegin(); it != keys_.rend(); ++it)
    if (it->first != current_) trial_order_.push_back(it->first);
}

const SecretBytes* Keyring::find(uint32_t version) const noexcept {
  auto it = keys_.find(version);
  return it == keys_.end() ? nullptr : &it->second;
}

std::string Keyring::versions_text() const {
  std::string text;
  for (const auto& entry : keys_) text += (text.empty() ? "" : ", ") + std::to_string(entry.first);
  return text;
}

}  // namespace vigil::keyring

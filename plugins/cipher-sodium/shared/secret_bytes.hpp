// Key material in memory that is locked (kept out of swap where the system
// allows it), fenced by guard pages and wiped when released: libsodium's
// sodium_malloc. Every master key a cipher holds lives in one of these.
#pragma once

#include <cstddef>

namespace vigil::keyring {

class SecretBytes {
 public:
  // Throws std::bad_alloc when the guarded allocation fails.
  explicit SecretBytes(size_t size);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  unsigned char* data() noexcept { return data_; }
  const unsigned char* data() const noexcept { return data_; }
  size_t size() const noexcept { return size_; }

 private:
  unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

// A short-lived key on the stack (a per-client key derived for one call),
// wiped when it goes out of scope so it does not linger in freed frames.
template <size_t N>
class WipedKey {
 public:
  WipedKey() = default;
  ~WipedKey();
  WipedKey(const WipedKey&) = delete;
  WipedKey& operator=(const WipedKey&) = delete;

  unsigned char* data() noexcept { return bytes_; }
  const unsigned char* data() const noexcept { return bytes_; }
  static constexpr size_t size() noexcept { return N; }

 private:
  unsigned char bytes_[N] = {};
};

// Wipes `size` bytes in a way the compiler may not optimise away.
void wipe(void* data, size_t size) noexcept;

template <size_t N>
WipedKey<N>::~WipedKey() {
  wipe(bytes_, N);
}

}  // namespace vigil::keyring

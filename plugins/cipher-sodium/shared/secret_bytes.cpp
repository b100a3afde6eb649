#include "secret_bytes.hpp"

#include <sodium.h>

#include <new>
#include <utility>

namespace vigil::keyring {

SecretBytes::SecretBytes(size_t size) : size_(size) {
  // sodium_malloc needs the library initialised; sodium_init is idempotent
  // and thread-safe, and -1 only means it could not initialise at all.
  if (sodium_init() < 0) throw std::bad_alloc();
  data_ = static_cast<unsigned char*>(sodium_malloc(size));
  if (!data_) throw std::bad_alloc();
  sodium_memzero(data_, size);
}

SecretBytes::~SecretBytes() {
  // sodium_free wipes the bytes and unlocks the pages before unmapping them.
  if (data_) sodium_free(data_);
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    if (data_) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void wipe(void* data, size_t size) noexcept {
  sodium_memzero(data, size);
}

}  // namespace vigil::keyring

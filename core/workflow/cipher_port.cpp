#include "core/workflow/cipher_port.hpp"

#include "vigil/cpp/error.hpp"

namespace vigil::core {

std::string CipherPort::encrypt(std::string_view client_id, std::string_view field, std::string_view plaintext) const {
  std::string token;
  sdk::StringSink sink(token);
  ErrorBuffer error;
  error.check(cipher_.vtable()->encrypt(cipher_.instance(), sdk::str(client_id), sdk::str(field), sdk::str(plaintext),
                                        sink.get(), error.get()),
              cipher_.name());
  return token;
}

std::string CipherPort::decrypt(std::string_view client_id, std::string_view field, std::string_view token) const {
  std::string plaintext;
  sdk::StringSink sink(plaintext);
  ErrorBuffer error;
  error.check(cipher_.vtable()->decrypt(cipher_.instance(), sdk::str(client_id), sdk::str(field), sdk::str(token),
                                        sink.get(), error.get()),
              cipher_.name());
  return plaintext;
}

uint32_t CipherPort::key_version(std::string_view token) const {
  uint32_t version = 0;
  ErrorBuffer error;
  error.check(cipher_.vtable()->token_key_version(cipher_.instance(), sdk::str(token), &version, error.get()),
              cipher_.name());
  return version;
}

uint32_t CipherPort::current_key_version() const {
  vigil_cipher_info info{};
  info.struct_size = sizeof info;
  cipher_.vtable()->describe(cipher_.instance(), &info);
  return info.current_key_version;
}

}  // namespace vigil::core

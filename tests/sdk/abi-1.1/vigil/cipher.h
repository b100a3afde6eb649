/*
 * Vigil plugin ABI — ciphers: encryption of signal payloads at rest.
 *
 * Tokens are self-describing: a token names the key version that made it,
 * so tokens made before a key rotation still decrypt after it.
 *
 * `context` selects the key: empty means the configured key as it is; a
 * client id means that client's key, derived from the master key exactly the
 * same way on every call. `field` names what is encrypted ("payload"); a
 * cipher that supports associated data binds the token to context and field,
 * so a token copied to another client or field fails to decrypt.
 *
 * Threading: encrypt, decrypt and token_key_version are called concurrently
 * on one instance.
 */
#ifndef VIGIL_CIPHER_H
#define VIGIL_CIPHER_H

#include "vigil/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vigil_cipher_info {
  size_t struct_size;
  const char* algorithm;        /* e.g. "xchacha20poly1305-ietf" */
  uint32_t key_bytes;           /* size of one (derived) key */
  uint32_t current_key_version; /* the version new tokens are made with */
} vigil_cipher_info;

typedef struct vigil_cipher_vtable {
  size_t struct_size;
  /* Required. See rule.h for the create/destroy contract. Keys come from the
   * environment or a key file named in the options, never from the options
   * themselves. */
  vigil_status (*create)(const vigil_create_args* args, void** instance,
                         vigil_error* error);
  void (*destroy)(void* instance);
  /* Required. OWNERSHIP: strings in *out are plugin-owned, valid until
   * destroy. The host sets out->struct_size before calling. */
  void (*describe)(void* instance, vigil_cipher_info* out);
  /* Required. Writes the token (printable ASCII) to `token`. */
  vigil_status (*encrypt)(void* instance, vigil_str context, vigil_str field,
                          vigil_str plaintext, vigil_sink* token,
                          vigil_error* error);
  /* Required. Writes the plaintext to `plaintext` only when the token is
   * authentic; a forged, truncated or foreign token is
   * VIGIL_UNAUTHENTICATED (or VIGIL_INVALID_ARGUMENT when it is not even
   * shaped like a token) and nothing is written. */
  vigil_status (*decrypt)(void* instance, vigil_str context, vigil_str field,
                          vigil_str token, vigil_sink* plaintext,
                          vigil_error* error);
  /* Required. The key version a token was made with, without decrypting. */
  vigil_status (*token_key_version)(void* instance, vigil_str token,
                                    uint32_t* version, vigil_error* error);
} vigil_cipher_vtable;

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_CIPHER_H */

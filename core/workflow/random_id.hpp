// Unguessable ids and secrets from the kernel's random source (getrandom):
// ids are capabilities here (a device must not guess another's position).
#pragma once

#include <string>

namespace vigil::core {

// Lowercase hex of `bytes` random bytes. Throws when the kernel has none.
std::string random_hex(size_t bytes);
// "<prefix>_" followed by 128 random bits in hex, e.g. "pos_3f9a...".
std::string new_id(const char* prefix);
// Uniform in [0, 1), from the same source (53 random bits).
double random_unit();

}  // namespace vigil::core

// Validation of a plugin's descriptor before the host trusts any of it.
//
// Every refusal is one sentence that says what differs, in the manner of
// PostgreSQL's "Server has X = 1, library has 2".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vigil/abi.h"

namespace vigil::core {

// "cipher", "feed", "rule", "store", "transport", or "unknown kind N".
std::string kind_name(int32_t kind);

// The smallest vtable size of a kind as of ABI 1.0 (0 for unknown kinds).
size_t minimum_vtable_size(int32_t kind);

// Why the host must refuse this descriptor, or nothing when it is sound.
std::optional<std::string> refusal_reason(const vigil_plugin* descriptor);

// The vtable a descriptor provides for `kind`, or nullptr.
const void* find_vtable(const vigil_plugin& descriptor, int32_t kind);

}  // namespace vigil::core

// Secrets vigild makes for itself on the embedded default (the master key,
// the admin token): 32 random bytes from the kernel, as 64 hex digits and a
// newline, in a file only its owner can read (mode 0600).
#pragma once

#include <filesystem>
#include <string_view>

namespace vigil::host {

// Creates `file` with a new secret unless it exists (O_EXCL: of two starts
// at once, one writes it and both use it). Returns whether this call
// created it. Throws ConfigError naming the file and `what` ("master key")
// when it cannot be created or written; a half-written file is removed.
bool create_secret_file(const std::filesystem::path& file, std::string_view what);

// Creates `data_dir` (and its parents) when missing; throws ConfigError
// naming it when that fails.
void ensure_data_dir(const std::filesystem::path& data_dir);

}  // namespace vigil::host

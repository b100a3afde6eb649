// The embedded default config (examples/configs/default.yaml, compiled in),
// run when vigild gets no --config.
#pragma once

namespace vigil::host {
extern const char* const kDefaultConfig;
}

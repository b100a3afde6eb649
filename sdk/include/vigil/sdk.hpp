// Vigil C++ SDK — a header-only layer over the C ABI for plugin authors.
// Include this, derive from the base class of your kind, and export with
// VIGIL_PLUGIN. The guide: GUIDE.md, installed with the SDK in
// share/doc/vigil-sdk (sdk/GUIDE.md in the repository).
#pragma once

#include "vigil/cpp/decimal.hpp"
#include "vigil/cpp/iso_time.hpp"
#include "vigil/cpp/options.hpp"
#include "vigil/cpp/plugin.hpp"
#include "vigil/cpp/stop_signal.hpp"

// The hash of an audit row's content as the stores compute it (the shared
// audit_hash of the store plugins, documented in vigil/store.h), for the
// admin API's audit list: core holds no crypto, so the host lends it.
// Thread-safe; throws nothing but std::bad_alloc.
#pragma once

#include <string>

#include "core/workflow/records.hpp"

namespace vigil::host {

std::string audit_row_hash(const core::AuditRow& row);

}  // namespace vigil::host

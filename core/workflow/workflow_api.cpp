#include "core/workflow/workflow_api.hpp"

#include "core/support/log.hpp"
#include "core/workflow/api_error.hpp"

namespace vigil::core {
namespace {

ApiOperation find(std::string_view operation) {
  for (const ApiOperations* table : {&ea_operations(), &admin_operations(), &admin_read_operations()})
    if (auto it = table->find(operation); it != table->end()) return it->second;
  return nullptr;
}

}  // namespace

bool WorkflowApi::handles(std::string_view operation) {
  return find(operation) != nullptr;
}

// A store that cannot serve now is the caller's 503 (retry later), not a
// 500: the request was fine and nothing of it was written.
std::string WorkflowApi::call(std::string_view operation, std::string_view principal, const JsonFields& params,
                              std::string_view body) {
  ApiOperation run = find(operation);
  if (!run) throw ApiError(VIGIL_UNSUPPORTED, "unsupported_operation", "no such operation");
  try {
    return run(workflow_, {principal, params, body});
  } catch (const StoreError& e) {
    if (e.status() != VIGIL_UNAVAILABLE) throw;
    log(LogLevel::warn, "workflow", std::string(operation) + " not served: " + e.what());
    throw ApiError(VIGIL_UNAVAILABLE, "unavailable", "The store cannot serve this request now; retry shortly.");
  }
}

}  // namespace vigil::core

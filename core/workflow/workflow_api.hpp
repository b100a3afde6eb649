// The workflow's operations as the transports call them (vigil_app.call,
// docs/http-api.md): an operation's name, the caller, its
// parameters and a JSON body in, a JSON answer out.
//
// This is the only place where the workflow's requests and answers meet
// JSON. Each operation's adapter (ea_api.cpp for the EA's, admin_api.cpp for
// the operator's) reads the body into the typed request (operations.hpp),
// runs it on the Workflow, and writes the typed answer back. The adapters
// hold no state and decide nothing beyond the shape of a request: every
// rule of the lifecycle is the Workflow's.
//
// Threading: as the Workflow's operations (any thread).
// Errors: call() throws ApiError: a malformed request (400 naming the
// field), a refusal of the workflow, or 503 when the store cannot serve now
// (nothing of the request was written).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/support/json_fields.hpp"
#include "core/workflow/workflow.hpp"

namespace vigil::core {

// One call as an adapter reads it.
struct ApiCall {
  std::string_view principal;  // the device id for client.*, "admin" for admin.*
  const JsonFields& params;    // path parameters (client_id, position_id)
  std::string_view body;       // the JSON body, "" when none
};

// An adapter: runs one operation and returns its JSON answer.
using ApiOperation = std::string (*)(Workflow& workflow, const ApiCall& call);
using ApiOperations = std::map<std::string_view, ApiOperation>;

// The EA's operations (client.*) and the operator's (admin.*), by name.
const ApiOperations& ea_operations();
const ApiOperations& admin_operations();
// The operator's lists and device deactivation (admin_reads_api.cpp).
const ApiOperations& admin_read_operations();

class WorkflowApi {
 public:
  explicit WorkflowApi(Workflow& workflow) : workflow_(workflow) {}

  // True for the operations call() answers.
  static bool handles(std::string_view operation);
  // Runs one operation; returns its JSON answer. Throws ApiError.
  std::string call(std::string_view operation, std::string_view principal, const JsonFields& params,
                   std::string_view body);

 private:
  Workflow& workflow_;
};

}  // namespace vigil::core

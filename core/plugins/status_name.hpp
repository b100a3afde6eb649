// The name of a status a plugin returned, for messages: a status shown as a
// number (or not at all) sends the reader to the headers.
#pragma once

#include <string>

#include "vigil/abi.h"

namespace vigil::core {

// "VIGIL_INTERNAL"...; for a value outside the enum "an invalid status"
// (status_label adds the number).
constexpr const char* status_name(vigil_status status) {
  switch (status) {
    case VIGIL_OK:
      return "VIGIL_OK";
    case VIGIL_INVALID_ARGUMENT:
      return "VIGIL_INVALID_ARGUMENT";
    case VIGIL_NOT_FOUND:
      return "VIGIL_NOT_FOUND";
    case VIGIL_CONFLICT:
      return "VIGIL_CONFLICT";
    case VIGIL_UNAVAILABLE:
      return "VIGIL_UNAVAILABLE";
    case VIGIL_UNAUTHENTICATED:
      return "VIGIL_UNAUTHENTICATED";
    case VIGIL_UNSUPPORTED:
      return "VIGIL_UNSUPPORTED";
    case VIGIL_INTERNAL:
      return "VIGIL_INTERNAL";
  }
  return "an invalid status";
}

// The status named for a message, a value outside the enum with its number.
inline std::string status_label(vigil_status status) {
  std::string name = status_name(status);
  if (name == "an invalid status") name += " " + std::to_string(static_cast<long long>(status));
  return name;
}

// A failed plugin call as the operator reads it: the plugin's text (or
// "failed without a message") and, unless the call refused its input
// (VIGIL_INVALID_ARGUMENT: the input's fault, which reads as a sentence),
// the status named, since any other failure is the plugin's:
// "connection refused (VIGIL_UNAVAILABLE)".
inline std::string failure_text(vigil_status status, const char* text) {
  std::string out = text && text[0] ? text : "failed without a message";
  if (status != VIGIL_INVALID_ARGUMENT || !text || !text[0]) out += " (" + status_label(status) + ")";
  return out;
}

}  // namespace vigil::core

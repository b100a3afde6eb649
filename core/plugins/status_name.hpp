// The name of a status a plugin returned, for messages: a status shown as a
// number (or not at all) sends the reader to the headers.
#pragma once

#include "vigil/abi.h"

namespace vigil::core {

// "VIGIL_INTERNAL"...; "an invalid status (N)" is the caller's to build for
// a value outside the enum: this returns "an invalid status".
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

}  // namespace vigil::core

// Turns the host's answer to an application call into an HTTP answer.
#pragma once

#include <stdexcept>
#include <string_view>

#include "app_client.hpp"
#include "http_message.hpp"

namespace vigil::http {

// Thrown for an answer that must become a 500: the message holds the details
// for the log, never for the client.
class InternalFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// VIGIL_OK: 200 with the answer as JSON. Other statuses: the mapped HTTP
// status with the host's error object when it has the contract's shape, or
// one built from the host's code and text. VIGIL_INTERNAL (or an unknown
// status): throws InternalFailure naming `operation`.
HttpReply reply_from(std::string_view operation, const AppAnswer& answer);

}  // namespace vigil::http

// One kept-alive connection sending signed GET /api/v1/client/poll, taking
// its device ids in turn from a pool. Why a pool: the server remembers each
// device's nonces for twice the signature window (60 s) and refuses, 429,
// past 8192 of them (transport-http's nonce_cache), so one device id can
// sustain about 136 requests/s; an EA polls a few times a second. Rotating
// ids measures the server, not that cap. The signing is the library's
// (examples/ea-client/signer.hpp), the same that EaApi::call uses.
#pragma once

#include <string>
#include <vector>

#include "examples/ea-client/ea_api.hpp"
#include "examples/ea-client/http_session.hpp"

namespace vigil::bench {

class SignedPoller {
 public:
  SignedPoller(const std::string& url, std::vector<ea::Credentials> devices);
  // One poll; the answer as it came.
  ea::HttpAnswer poll();

 private:
  ea::HttpSession session_;
  std::vector<ea::Credentials> devices_;
  size_t next_ = 0;
};

}  // namespace vigil::bench

// One kept-alive connection sending signed GET /api/v1/client/poll, taking
// its device ids in turn from a pool, each request signed now with a fresh
// nonce (what an EA pays per poll). Why a pool: the server remembers each
// device's nonces for twice the signature window (60 s), at most
// max_nonces_per_device of them (transport-http's options: 8192 at the
// default rate, 6.1 million at the benchmark's raised one) and answers 429
// past that; spreading the polls over several ids keeps any one device far
// from that cap, so the benchmark measures the server, not the cap. The
// signing is the library's (examples/ea-client/signer.hpp), the same that
// EaApi::call uses.
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

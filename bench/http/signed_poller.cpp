#include "bench/http/signed_poller.hpp"

#include "examples/ea-client/signer.hpp"

namespace vigil::bench {

SignedPoller::SignedPoller(const std::string& url, std::vector<ea::Credentials> devices)
    : session_(url), devices_(std::move(devices)) {}

ea::HttpAnswer SignedPoller::poll() {
  const ea::Credentials& device = devices_[next_++ % devices_.size()];
  const std::string path = "/api/v1/client/poll";
  ea::SignedHeaders h = ea::sign_now({"GET", path, "", ""}, device.device_id, device.secret);
  return session_.request(
      "GET", path, "",
      {{"X-Device-Id", h.device_id}, {"X-Timestamp", h.timestamp}, {"X-Nonce", h.nonce}, {"X-Signature", h.signature}});
}

}  // namespace vigil::bench

// A feed whose health fails: the plugin the feed failure tests load to prove
// a failing feed is loud (issue #18). It publishes nothing and runs until
// stopped. Options: {"health_throws": "TEXT"} makes health() throw TEXT;
// {"health_error": "TEXT"} makes it report TEXT as its error (the C++
// layer's FeedHealth::error, no exception). With neither it is well.
#include <chrono>
#include <stdexcept>
#include <string>

#include "vigil/sdk.hpp"

namespace {

class SickFeed final : public vigil::sdk::Feed {
 public:
  explicit SickFeed(const vigil::sdk::CreateArgs& args) {
    vigil::sdk::Options options(args.options_json, "feed-sick");
    throws_ = options.string("health_throws", "");
    reports_ = options.string("health_error", "");
    options.finish();
  }

  void run() override {
    while (!stop_.wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(1))) {
    }
  }

  void stop() noexcept override { stop_.request(); }

  vigil::sdk::FeedHealth health() const override {
    if (!throws_.empty()) throw std::runtime_error(throws_);
    vigil::sdk::FeedHealth h;
    h.connected = reports_.empty();
    h.error = reports_;
    return h;
  }

 private:
  std::string throws_;
  std::string reports_;
  vigil::sdk::StopSignal stop_;
};

}  // namespace

VIGIL_PLUGIN("feed-sick", "1.0.0", "test: a feed whose health() throws or reports an error",
             vigil::sdk::feed<SickFeed>())

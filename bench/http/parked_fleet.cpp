#include "bench/http/parked_fleet.hpp"

#include <boost/asio.hpp>
#include <cstdio>
#include <mutex>
#include <string_view>

#include "examples/ea-client/signer.hpp"

namespace vigil::bench {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::string_view kPath = "/api/v1/client/close-commands";
// Connections being opened at once: ten thousand SYNs in one burst would
// overflow the server's accept backlog and measure the kernel's retries.
constexpr size_t kConnectingAtOnce = 256;

std::string signed_request(const ea::Credentials& device, const std::string& query, uint16_t port) {
  ea::SignedHeaders h = ea::sign_now({"GET", kPath, query, ""}, device.device_id, device.secret);
  return "GET " + std::string(kPath) + "?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nConnection: keep-alive\r\nX-Device-Id: " + h.device_id + "\r\nX-Timestamp: " + h.timestamp +
         "\r\nX-Nonce: " + h.nonce + "\r\nX-Signature: " + h.signature + "\r\n\r\n";
}

// The Content-Length of a response head, or -1.
long content_length(std::string_view head) {
  for (size_t at = head.find("\r\n"); at != std::string_view::npos; at = head.find("\r\n", at + 2)) {
    std::string_view line = head.substr(at + 2, head.find("\r\n", at + 2) - at - 2);
    constexpr std::string_view kName = "content-length:";
    if (line.size() <= kName.size()) continue;
    bool match = true;
    for (size_t i = 0; i < kName.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    if (match) return std::strtol(std::string(line.substr(kName.size())).c_str(), nullptr, 10);
  }
  return -1;
}

}  // namespace

struct ParkedFleet::Ea {
  explicit Ea(asio::io_context& io, ea::Credentials device) : socket(io), device(std::move(device)) {}
  tcp::socket socket;
  ea::Credentials device;
  std::string request;
  asio::streambuf in;
  Delivery delivery;
};

class ParkedFleet::Loop {
 public:
  Loop(ParkedFleet& fleet, uint16_t port, int wait_seconds)
      : fleet_(fleet), port_(port), query_("wait=" + std::to_string(wait_seconds)) {}
  asio::io_context io;

  void connect_next() {
    if (next_ >= fleet_.eas_.size()) return;
    std::shared_ptr<Ea> ea = fleet_.eas_[next_++];
    tcp::endpoint server(asio::ip::address_v4::loopback(), port_);
    ea->socket.async_connect(server, [this, ea](boost::system::error_code error) {
      connect_next();
      if (error) return fail(*ea, "connect: " + error.message());
      ea->socket.set_option(tcp::no_delay(true));
      park(ea);
    });
  }

 private:
  void park(const std::shared_ptr<Ea>& ea) {
    ea->request = signed_request(ea->device, query_, port_);
    ++fleet_.sent_;
    asio::async_write(ea->socket, asio::buffer(ea->request), [this, ea](boost::system::error_code error, size_t) {
      if (error) return fail(*ea, "send: " + error.message());
      read_head(ea);
    });
  }

  void read_head(const std::shared_ptr<Ea>& ea) {
    asio::async_read_until(ea->socket, ea->in, "\r\n\r\n", [this, ea](boost::system::error_code error, size_t n) {
      if (error) return fail(*ea, "read: " + error.message());
      std::string head(asio::buffers_begin(ea->in.data()), asio::buffers_begin(ea->in.data()) + n);
      ea->in.consume(n);
      long length = content_length(head);
      if (length < 0 || head.size() < 12) return fail(*ea, "an answer without Content-Length: " + head);
      int status = std::atoi(head.c_str() + 9);
      size_t missing = ea->in.size() >= static_cast<size_t>(length) ? 0 : length - ea->in.size();
      asio::async_read(ea->socket, ea->in, asio::transfer_exactly(missing),
                       [this, ea, status, length](boost::system::error_code error, size_t) {
                         if (error) return fail(*ea, "read body: " + error.message());
                         std::string body(asio::buffers_begin(ea->in.data()),
                                          asio::buffers_begin(ea->in.data()) + length);
                         ea->in.consume(static_cast<size_t>(length));
                         answered(ea, status, std::move(body));
                       });
    });
  }

  // A wait that ended empty parks again; anything else is the delivery.
  void answered(const std::shared_ptr<Ea>& ea, int status, std::string body) {
    if (status == 200 && body.find("\"commands\":[]") != std::string::npos) return park(ea);
    ea->delivery = {ea->device.device_id, status, std::move(body), Clock::now()};
    ++fleet_.delivered_;
  }

  void fail(Ea& ea, const std::string& why) {
    static std::once_flag printed;
    std::call_once(printed,
                   [&] { std::fprintf(stderr, "parked fleet: %s: %s\n", ea.device.device_id.c_str(), why.c_str()); });
    ++fleet_.failed_;
  }

  ParkedFleet& fleet_;
  uint16_t port_;
  std::string query_;
  size_t next_ = 0;
};

ParkedFleet::ParkedFleet(uint16_t port, std::vector<ea::Credentials> devices, int wait_seconds)
    : loop_(std::make_unique<Loop>(*this, port, wait_seconds)) {
  for (ea::Credentials& device : devices) eas_.push_back(std::make_shared<Ea>(loop_->io, std::move(device)));
}

ParkedFleet::~ParkedFleet() {
  loop_->io.stop();
  if (thread_.joinable()) thread_.join();
}

void ParkedFleet::start() {
  for (size_t i = 0; i < kConnectingAtOnce; ++i) asio::post(loop_->io, [this] { loop_->connect_next(); });
  thread_ = std::thread([this] {
    auto work = asio::make_work_guard(loop_->io);
    loop_->io.run();
  });
}

std::vector<ParkedFleet::Delivery> ParkedFleet::deliveries() const {
  std::vector<Delivery> out;
  for (const auto& ea : eas_)
    if (ea->delivery.status != 0) out.push_back(ea->delivery);
  return out;
}

}  // namespace vigil::bench

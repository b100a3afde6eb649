// The Pistache side of a request: converts it for the Dispatcher, writes the
// answer with typed headers (Pistache 0.0.5 drops headers added with
// addRaw), keeps or closes the connection as connection_policy decides, and
// counts the request in flight until its answer is written.
//
// Pistache clones this handler for each of its threads (HTTP_PROTOTYPE), so
// it holds only pointers to state the transport owns.
#pragma once

#include <pistache/http.h>

#include "dispatcher.hpp"
#include "in_flight.hpp"

namespace vigil::http {

class PistacheHandler : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)

  // Both must outlive serving (destroying the endpoint joins its threads).
  PistacheHandler(Dispatcher& dispatcher, InFlight& in_flight, bool keep_alive_enabled);

  void onRequest(const Pistache::Http::Request& request, Pistache::Http::ResponseWriter response) override;

 private:
  Dispatcher* dispatcher_;
  InFlight* in_flight_;
  bool keep_alive_enabled_;
};

}  // namespace vigil::http

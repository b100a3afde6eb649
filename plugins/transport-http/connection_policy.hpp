// Whether a connection stays open after an answer.
//
// Pistache 0.0.5 copies the request's Connection header into the answer and
// answers "Connection: Close" when there is none — even to HTTP/1.1, whose
// default is keep-alive — yet never closes the socket itself. This plugin
// decides instead, and closes when it says close.
#pragma once

namespace vigil::http {

// What the request's Connection header asked for.
enum class ConnectionAsk { nothing, keep_alive, close };

// Keep the connection open when the transport allows it (`enabled`) and the
// client asked for it, or speaks HTTP/1.1 and did not ask to close.
bool keep_alive(bool enabled, bool http_1_1, ConnectionAsk asked) noexcept;

}  // namespace vigil::http

// One read of a feed's health through its vtable, with the error a 1.3
// feed reports (vigil_feed_health.error): for vigild's /healthz and for
// `vigil feed-check`.
//
// Threading: as the feed's health(): any thread, while run() goes on.
// Errors: none; a feed that fails says so in `error`.
#pragma once

#include <string>

#include "core/plugins/component.hpp"
#include "vigil/feed.h"

namespace vigil::host {

struct FeedHealthRead {
  vigil_feed_health counts{};  // its error buffer points nowhere once read
  std::string error;           // why the feed is failing, empty while it is well
};

inline FeedHealthRead read_feed_health(const core::Component<vigil_feed_vtable>& feed) {
  char text[1024] = {};
  FeedHealthRead out;
  out.counts.struct_size = sizeof out.counts;
  out.counts.error = {sizeof(vigil_error), text, sizeof text};
  feed.vtable()->health(feed.instance(), &out.counts);
  out.counts.error = {sizeof(vigil_error), nullptr, 0};
  out.error = text;
  return out;
}

}  // namespace vigil::host

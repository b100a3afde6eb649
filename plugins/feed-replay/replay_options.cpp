#include "replay_options.hpp"

#include "vigil/cpp/options.hpp"

namespace vigil::replay {

Options parse_options(const std::string& json_text) {
  sdk::Options o(json_text, "feed-replay");
  o.allow({"file", "format", "instrument", "speed", "on_error"});
  Options out;
  if (!o.has("file")) o.fail("file", "missing: name the tick file to replay");
  out.file = o.required_string("file");
  out.format = o.one_of("format", {"csv", "mt5"}, "csv") == "csv" ? Format::csv : Format::mt5;
  out.instrument = o.string("instrument", "");
  if (out.format == Format::mt5 && out.instrument.empty())
    o.fail("instrument", "required for the mt5 format (an MT5 export holds one instrument)");
  out.speed = o.number("speed", 0, 0);
  out.skip_bad_rows = o.one_of("on_error", {"fail", "skip"}, "fail") == "skip";
  return out;
}

}  // namespace vigil::replay

#include "examples/ea-client/cli_options.hpp"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

namespace vigil::ea {

const char* const kUsage =
    "usage: vigil-ea --url URL --device-id ID --secret-file FILE [--slippage-points N]\n"
    "                [--partial-fill-ratio R] [--fail-every N] [--wait S] [--once] [--trace]\n"
    "       vigil-ea --help | --version\n"
    "  --url URL               the server, e.g. http://127.0.0.1:8080\n"
    "  --device-id ID          the device id given at device creation\n"
    "  --secret-file FILE      a file holding the device secret (64 hex characters)\n"
    "  --slippage-points N     fills N points against the trader (default 0)\n"
    "  --partial-fill-ratio R  fills R of each entry's volume, 0 < R <= 1 (default 1)\n"
    "  --fail-every N          every Nth close fails at the broker; 0 never (default 0)\n"
    "  --wait S                long-poll close commands up to S seconds, 0-30 (default 10)\n"
    "  --once                  one round (poll, acks, close commands, close-acks), then exit\n"
    "  --trace                 write every request and answer (headers, bodies) to stderr\n";

namespace {

const std::set<std::string> kValued = {"--url",        "--device-id",          "--secret-file", "--slippage-points",
                                       "--fail-every", "--partial-fill-ratio", "--wait"};

long long integer(const std::string& flag, const std::string& value, long long low, long long high) {
  long long out = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (error != std::errc() || end != value.data() + value.size() || out < low || out > high)
    throw UsageError(flag + ": expected an integer from " + std::to_string(low) + " to " + std::to_string(high) +
                     ", got \"" + value + "\"");
  return out;
}

double ratio(const std::string& flag, const std::string& value) {
  std::istringstream in(value);
  double out = 0;
  if (!(in >> out) || !in.eof() || !(out > 0 && out <= 1))
    throw UsageError(flag + ": expected a number greater than 0 and at most 1, got \"" + value + "\"");
  return out;
}

std::string read_secret(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("--secret-file: cannot read \"" + path + "\"");
  std::string secret;
  in >> secret;  // the file may end in a newline
  if (secret.empty()) throw UsageError("--secret-file: \"" + path + "\" is empty");
  return secret;
}

void require(const std::string& value, const std::string& flag) {
  if (value.empty()) throw UsageError(flag + ": required");
}

void set_valued(CliOptions& out, std::string& secret_file, const std::string& flag, const std::string& value) {
  if (flag == "--url") out.url = value;
  if (flag == "--device-id") out.credentials.device_id = value;
  if (flag == "--secret-file") secret_file = value;
  if (flag == "--slippage-points") out.broker.slippage_points = integer(flag, value, -100000, 100000);
  if (flag == "--partial-fill-ratio") out.broker.partial_fill_ratio = ratio(flag, value);
  if (flag == "--fail-every") out.broker.fail_every = static_cast<int>(integer(flag, value, 0, 1000000));
  if (flag == "--wait") out.wait_s = static_cast<int>(integer(flag, value, 0, 30));
}

}  // namespace

CliOptions parse_cli(const std::vector<std::string>& args) {
  CliOptions out;
  std::string secret_file;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--once" || flag == "--trace" || flag == "--help" || flag == "-h" || flag == "--version") {
      (flag == "--once"      ? out.once
       : flag == "--trace"   ? out.trace
       : flag == "--version" ? out.version
                             : out.help) = true;
      continue;
    }
    if (!kValued.contains(flag))
      throw UsageError(flag + (flag.rfind("--", 0) == 0 ? ": unknown flag" : ": unexpected argument"));
    if (i + 1 >= args.size()) throw UsageError(flag + ": expects a value");
    set_valued(out, secret_file, flag, args[i + 1]);
    ++i;
  }
  if (out.help || out.version) return out;
  require(out.url, "--url");
  if (out.url.rfind("http://", 0) != 0 && out.url.rfind("https://", 0) != 0)
    throw UsageError("--url: expected http://HOST:PORT or https://..., got \"" + out.url + "\"");
  require(out.credentials.device_id, "--device-id");
  require(secret_file, "--secret-file");
  out.credentials.secret = read_secret(secret_file);
  return out;
}

}  // namespace vigil::ea

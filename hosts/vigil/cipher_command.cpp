// vigil cipher encrypt|decrypt --plugin NAME --key-file FILE [--context ID]
//              [--field NAME] [--config FILE]
//
// One cipher plugin over stdin and stdout, for ops and migration
// (docs/cli.md). The key file is handed to the plugin as its
// `key_file` option, so the plugin reads and checks it exactly as the server
// would. Without --context the key is used as it is; with --context the
// per-client key is derived as the server derives it. --field (default
// "payload") is what the token is bound to, as the server binds it.
// --plugin is a path or a name looked up in the config's plugin_paths (with
// --config) or the default plugin paths; the config's cipher options are not
// used, so the key is always the one in --key-file.
//
// encrypt writes the token and a newline; decrypt ignores whitespace around
// the token and writes exactly the plaintext. Any failure: exit 1, nothing on
// stdout, one line on stderr. Bad usage: exit 64.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/metrics.hpp"
#include "hosts/common/args.hpp"
#include "hosts/common/config.hpp"
#include "hosts/common/plugin_loader.hpp"
#include "hosts/vigil/command_help.hpp"
#include "hosts/vigil/commands.hpp"
#include "vigil/cipher.h"
#include "vigil/cpp/error.hpp"

namespace vigil::cli {
namespace {

constexpr const char* kWho = "vigil cipher";
constexpr CommandHelp kHelp{
    kWho,
    "usage: vigil cipher encrypt|decrypt --plugin NAME --key-file FILE [--context ID] [--field NAME] "
    "[--config FILE]\n",
    "Runs one cipher plugin over stdin and stdout. encrypt writes the token and a\n"
    "newline; decrypt ignores whitespace around the token and writes exactly the\n"
    "plaintext. The config's cipher options are not used: the key is always the\n"
    "one in --key-file.\n\n"
    "options:\n"
    "  --plugin NAME      the cipher plugin, a path or a name (cipher-sodium,\n"
    "                     cipher-fernet)\n"
    "  --key-file FILE    the master key file, handed to the plugin as key_file\n"
    "  --context ID       derive the client's key as the server does (a client id);\n"
    "                     without it the key is used as it is\n"
    "  --field NAME       what the token is bound to (default payload; device\n"
    "                     secrets use device_secret)\n"
    "  --config FILE      look the plugin up in this config's plugin_paths\n"
    "  --help, -h         this help\n\n"
    "exit codes: 0 done, 1 failed (nothing on stdout, one line on stderr), 64 bad\n"
    "usage\n"};

struct Request {
  bool encrypt = true;
  std::string plugin, key_file, context, field, config;
};

// nullopt for --help.
std::optional<Request> parse_request(int argc, char** argv) {
  host::Args args(argc, argv, {"plugin", "key-file", "context", "field", "config"});
  if (args.wants_help()) return std::nullopt;
  if (args.positional().size() != 1 || (args.positional()[0] != "encrypt" && args.positional()[0] != "decrypt"))
    throw host::UsageError("expected exactly one of encrypt or decrypt");
  Request r;
  r.encrypt = args.positional()[0] == "encrypt";
  r.plugin = args.require("plugin");
  r.key_file = args.require("key-file");
  r.context = args.get("context").value_or("");
  r.field = args.get("field").value_or("payload");
  r.config = args.get("config").value_or("");
  return r;
}

std::filesystem::path plugin_file(const Request& r) {
  auto search = r.config.empty() ? host::default_plugin_paths() : host::load_config(r.config).plugin_paths;
  return host::resolve_plugin(r.plugin, search);
}

std::string read_stdin() {
  std::string in;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) in.append(buffer, n);
  if (std::ferror(stdin)) throw std::runtime_error(std::string(kWho) + ": cannot read stdin");
  return in;
}

std::string trim(const std::string& text) {
  constexpr const char* kSpace = " \t\r\n";
  size_t first = text.find_first_not_of(kSpace);
  return first == std::string::npos ? "" : text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// Runs the plugin's encrypt or decrypt on `input`; throws ComponentError.
std::string transform(const core::Component<vigil_cipher_vtable>& cipher, const Request& r, const std::string& input) {
  std::string out;
  sdk::StringSink sink(out);
  core::ErrorBuffer error;
  vigil_str context{r.context.data(), r.context.size()}, field{r.field.data(), r.field.size()};
  vigil_str in{input.data(), input.size()};
  const vigil_cipher_vtable* v = cipher.vtable();
  error.check(r.encrypt ? v->encrypt(cipher.instance(), context, field, in, sink.get(), error.get())
                        : v->decrypt(cipher.instance(), context, field, in, sink.get(), error.get()),
              kWho);
  return r.encrypt ? out + "\n" : out;
}

void write_stdout(const std::string& out) {
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0)
    throw std::runtime_error(std::string(kWho) + ": cannot write stdout");
}

int run(const Request& r) {
  host::LoadedPlugin plugin = host::load_plugin(plugin_file(r));
  auto* vtable = static_cast<const vigil_cipher_vtable*>(plugin.vtable(VIGIL_KIND_CIPHER));
  if (!vtable) throw std::runtime_error(std::string(kWho) + ": " + plugin.path().string() + " has no cipher component");
  core::Metrics metrics;
  core::HostServices services(plugin.name(), metrics, nullptr);
  std::string options = nlohmann::json{{"key_file", r.key_file}}.dump();
  core::Component<vigil_cipher_vtable> cipher(vtable, kWho, options, services.table());
  std::string input = read_stdin();
  write_stdout(transform(cipher, r, r.encrypt ? input : trim(input)));
  return 0;
}

}  // namespace

int cipher_command(int argc, char** argv) {
  try {
    std::optional<Request> request = parse_request(argc, argv);
    return request ? run(*request) : print_help(kHelp);
  } catch (const host::UsageError& e) {
    return usage_error(kHelp, e.what(), 64);
  } catch (const core::ComponentError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", kWho, e.what());
    return 1;
  }
}

}  // namespace vigil::cli

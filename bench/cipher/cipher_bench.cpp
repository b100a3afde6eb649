// Encrypt and decrypt through the loaded cipher plugins (cipher-sodium,
// cipher-fernet), 200-byte and 4 KiB payloads, with a per-client key as the
// server uses them. Baseline, same process and payloads: the bare algorithm
// (libsodium's AEAD call; the pure Fernet functions) with a fixed key, so
// the ratio is what the plugin path adds: key derivation, token text, the
// ABI and copies.
#include <benchmark/benchmark.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "core/plugins/component.hpp"
#include "core/plugins/host_services.hpp"
#include "core/support/metrics.hpp"
#include "fernet.hpp"
#include "hosts/common/plugin_loader.hpp"
#include "vigil/cipher.h"
#include "vigil/cpp/error.hpp"

namespace {

constexpr const char* kContext = "client-42";
constexpr const char* kField = "payload";
constexpr int64_t kNow = 1704067200;

std::map<std::string, double> g_ns_per_op;  // filled by RatioReporter, for the table at the end

// One plugin loaded and one cipher created from it, for the whole run.
class LoadedCipher {
 public:
  explicit LoadedCipher(const std::string& name)
      : plugin_(vigil::host::load_plugin(std::string(VIGIL_PLUGIN_DIR) + "/" + name + ".so")),
        services_(name, metrics_, nullptr),
        cipher_(static_cast<const vigil_cipher_vtable*>(plugin_.vtable(VIGIL_KIND_CIPHER)), name,
                R"({"key_env":"VIGIL_BENCH_KEY"})", services_.table()) {}

  std::string call(bool encrypt, const std::string& in) const {
    std::string out;
    vigil::sdk::StringSink sink(out);
    vigil::core::ErrorBuffer error;
    const vigil_cipher_vtable* v = cipher_.vtable();
    vigil_str context{kContext, std::strlen(kContext)}, field{kField, std::strlen(kField)}, text{in.data(), in.size()};
    error.check(encrypt ? v->encrypt(cipher_.instance(), context, field, text, sink.get(), error.get())
                        : v->decrypt(cipher_.instance(), context, field, text, sink.get(), error.get()),
                cipher_.name());
    return out;
  }

 private:
  vigil::host::LoadedPlugin plugin_;
  vigil::core::Metrics metrics_;
  vigil::core::HostServices services_;
  vigil::core::Component<vigil_cipher_vtable> cipher_;
};

const LoadedCipher& loaded(const std::string& name) {
  static std::map<std::string, std::unique_ptr<LoadedCipher>> ciphers;
  auto& slot = ciphers[name];
  if (!slot) slot = std::make_unique<LoadedCipher>(name);
  return *slot;
}

void count(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void plugin_bench(benchmark::State& state, const std::string& name, bool encrypt) {
  const LoadedCipher& cipher = loaded(name);
  std::string payload(static_cast<size_t>(state.range(0)), 'p');
  std::string input = encrypt ? payload : cipher.call(true, payload);
  for (auto _ : state) benchmark::DoNotOptimize(cipher.call(encrypt, input));
  count(state);
}

unsigned char g_key[32];

std::string raw_sodium(bool encrypt, const std::string& in) {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                   kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  auto* bytes = reinterpret_cast<const unsigned char*>(in.data());
  if (encrypt) {
    std::string out(kNonce + in.size() + kTag, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(o, kNonce);
    crypto_aead_xchacha20poly1305_ietf_encrypt(o + kNonce, nullptr, bytes, in.size(), nullptr, 0, nullptr, o, g_key);
    return out;
  }
  std::string out(in.size() - kNonce - kTag, '\0');
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), nullptr, nullptr,
                                                 bytes + kNonce, in.size() - kNonce, nullptr, 0, bytes, g_key) != 0)
    throw std::runtime_error("baseline decrypt failed");
  return out;
}

std::string raw_fernet(bool encrypt, const std::string& in) {
  vigil::fernet::Key key(g_key, 32);
  if (!encrypt) return vigil::fernet::decrypt(key, in, kNow, 0);
  unsigned char iv[16];
  RAND_bytes(iv, sizeof iv);
  return vigil::fernet::encrypt(key, in, kNow, vigil::fernet::Iv(iv, 16));
}

void raw_bench(benchmark::State& state, const std::string& name, bool encrypt) {
  auto run = name == "cipher-sodium" ? &raw_sodium : &raw_fernet;
  std::string payload(static_cast<size_t>(state.range(0)), 'p');
  std::string input = encrypt ? payload : run(true, payload);
  for (auto _ : state) benchmark::DoNotOptimize(run(encrypt, input));
  count(state);
}

void register_all() {
  for (std::string name : {"cipher-sodium", "cipher-fernet"})
    for (bool encrypt : {true, false}) {
      std::string op = encrypt ? "encrypt" : "decrypt";
      benchmark::RegisterBenchmark(("Plugin/" + name + "/" + op).c_str(), plugin_bench, name, encrypt)
          ->Arg(200)
          ->Arg(4096);
      benchmark::RegisterBenchmark(("Bare/" + name + "/" + op).c_str(), raw_bench, name, encrypt)->Arg(200)->Arg(4096);
    }
}

// Keeps the console output and notes each benchmark's CPU ns per operation:
// the median when run with repetitions (advised: these machines are
// shared), else the single run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}  // no colour codes: the output goes into READMEs
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      bool aggregate = run.run_type == Run::RT_Aggregate;
      if (run.error_occurred || (aggregate && run.aggregate_name != "median")) continue;
      if (aggregate || !g_ns_per_op.count(run.run_name.str()))
        g_ns_per_op[run.run_name.str()] = run.GetAdjustedCPUTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

void print_ratios() {
  std::printf("plugin path against the bare algorithm (CPU ns per operation, %s, field %s):\n", kContext, kField);
  for (const auto& [key, plugin_ns] : g_ns_per_op) {
    if (key.rfind("Plugin/", 0) != 0) continue;
    auto bare = g_ns_per_op.find("Bare/" + key.substr(7));
    if (bare == g_ns_per_op.end() || bare->second <= 0) continue;
    std::printf("  %-30s plugin %9.0f ns (%9.0f ops/s)  bare %9.0f ns  ratio %5.2fx\n", key.substr(7).c_str(),
                plugin_ns, 1e9 / plugin_ns, bare->second, plugin_ns / bare->second);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  randombytes_buf(g_key, sizeof g_key);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, g_key, sizeof g_key);
  setenv("VIGIL_BENCH_KEY", hex, 1);
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_ratios();
  return 0;
}

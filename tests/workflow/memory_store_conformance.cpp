// The conformance suite's fixture (tests/store/store_fixture.hpp) for the
// memory store: tests/store's suites that need no SQL run against the
// store-memory fixture plugin through the real loader, as they run against
// store-sqlite and store-postgres. VIGIL_STORE_SUITE instantiates every
// suite for "sqlite" and "postgres"; here both are the memory store, so the
// "sqlite" instance is named "memory" and CMake registers only those.
#include <atomic>
#include <stdexcept>

#include "memory_store.hpp"
#include "tests/store/store_fixture.hpp"

namespace vigil::test::store {
namespace {

class MemoryBackend final : public Backend {
 public:
  MemoryBackend() : name_("conformance-" + std::to_string(next_++)) {}
  std::string plugin() const override { return VIGIL_MEMORY_STORE_PLUGIN; }
  nlohmann::json options() const override { return {{"database", name_}}; }
  std::unique_ptr<RawSql> raw() const override {
    throw std::logic_error("the memory store has no SQL: tests using raw() are not run on it");
  }
  std::string dialect() const override { return "sqlite"; }

 private:
  static inline std::atomic<int> next_{1};
  std::string name_;
};

}  // namespace

std::unique_ptr<Backend> make_backend(const std::string&) {
  return std::make_unique<MemoryBackend>();
}

void StoreTest::SetUp() {
  backend_ = make_backend(GetParam());
}

std::unique_ptr<StoreUnderTest> open_store(const Backend& backend, const nlohmann::json& extra_options) {
  nlohmann::json options = backend.options();
  options.update(extra_options);
  return std::make_unique<StoreUnderTest>(backend.plugin(), options.dump());
}

std::unique_ptr<StoreUnderTest> StoreTest::open(const nlohmann::json& extra_options) const {
  return open_store(*backend_, extra_options);
}

StoreUnderTest& StoreTest::store() {
  if (!store_) {
    store_ = open();
    Result r = store_->migrate();
    if (!r.ok()) throw std::runtime_error("migrate failed: " + r.message);
  }
  return *store_;
}

RawSql& StoreTest::raw() {
  if (!raw_) raw_ = backend_->raw();
  return *raw_;
}

int64_t StoreTest::latest_version() const {
  return kMemoryStoreSchemaVersion;
}

std::string store_param_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "sqlite" ? "memory" : "memory_again";
}

Group seed(int positions) {
  Group g;
  g.insert(client("c1")).insert(device("d1", "c1")).insert(signal("s1", "c1"));
  for (int i = 1; i <= positions; ++i) g.insert(position("p" + std::to_string(i), "s1", "d1", "c1", 1000 + i));
  return g;
}

}  // namespace vigil::test::store

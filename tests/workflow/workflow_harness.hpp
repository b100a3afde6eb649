// A Workflow under test, driven through its public interface only: JSON in,
// JSON out, ApiError refusals, audit rows read back from the store. Its
// parts: the memory store (memory_store.hpp, with its faults), the real
// cipher-sodium plugin (the device secrets and payloads really encrypted),
// a fake engine link that records watch/unwatch, and a manual clock.
// "Restart" drops the Workflow (and its engines) and builds a new one on
// the same store, then recovers, as vigild does after a crash. Several
// hosts on one store: `host` builds more workflows on the same store, and
// `drive` sends the calls to one of them.
//
// Not thread-safe: one test thread drives it.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/support/metrics.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/workflow.hpp"
#include "core/workflow/workflow_api.hpp"
#include "memory_store.hpp"
#include "tests/store/records.hpp"
#include "tests/support/plugin_harness.hpp"

namespace vigil::test::workflow {

using nlohmann::json;
// The store's rows as tests/store reads them: through the store's ABI, so
// the tests do not depend on core's own records.
using store::Audit;
using store::Client;
using store::Command;
using store::Device;
using store::Position;
using store::Signal;

// The engines as the workflow sees them: every watch and unwatch recorded,
// validate and market_price answering what the test set.
struct FakeEngines {
  std::map<uint64_t, core::NewPosition> watching;  // by key: watched and not unwatched since
  std::vector<core::NewPosition> watches;          // every watch call, in order
  std::vector<uint64_t> unwatches;                 // every unwatch call's key
  std::string refusal;                             // what validate answers ("" = accepted)
  std::optional<int64_t> market;                   // what market_price answers

  core::EngineLink link();
  // The key the position is watched under now; fails the test (and returns
  // 0) when it is not watched.
  uint64_t key_of(const std::string& position_id) const;
  bool watched(const std::string& position_id) const;
};

// What a test expects a refusal to be.
struct Refusal {
  vigil_status status;
  std::string code;
};

class Harness {
 public:
  explicit Harness(core::WorkflowOptions options = {});
  ~Harness();

  core::Workflow& workflow() { return *workflow_; }
  MemoryStore& store();
  FakeEngines& engines() { return engines_; }
  const FakeEngines& engines() const { return engines_; }
  core::Metrics& metrics() { return metrics_; }

  int64_t now() const { return now_; }
  // Moves the clock on, then runs one maintenance tick.
  void advance(int64_t ms);
  // Drops the workflow and its engines; a new workflow on the same store
  // recovers from it.
  void restart();

  // Another host on the same store (core/workflow/ownership.hpp): a
  // workflow on the harness's store, cipher, instruments, options and
  // clock, with its own engines and ownership (both must outlive it),
  // recovered.
  std::unique_ptr<core::Workflow> host(FakeEngines& engines, const core::Ownership* ownership);
  // Where admin, ea, breach and the scenario steps go from now on: that
  // workflow and its engines (until drive_own: the harness's own).
  void drive(core::Workflow& workflow, FakeEngines& engines);
  void drive_own();

  // One call; the answer parsed. An ApiError propagates.
  json admin(std::string_view operation, const json& body = json::object(), const std::string& id = {});
  json ea(const std::string& device, std::string_view operation, const json& body = json::object());
  // The call's refusal; fails the test when it was answered, or refused
  // otherwise than expected.
  core::ApiError admin_refused(const Refusal& expected, std::string_view operation, const json& body = json::object(),
                               const std::string& id = {});
  core::ApiError ea_refused(const Refusal& expected, const std::string& device, std::string_view operation,
                            const json& body = json::object());

  // Scenario steps (each asserts that it was answered).
  std::string client();
  std::string device(const std::string& client_id);
  // A signal (EURUSD buy 0.10, stop 1.09000, target 1.11000 unless `fields`
  // say otherwise); returns its position ids.
  std::vector<std::string> signal(const std::string& client_id, const json& fields = json::object());
  json execution(const std::string& position_id, const std::string& ticket, const std::string& price = "1.10000",
                 const std::string& volume = "0.10") const;
  // A client with one device and one open position on it: {device, position}.
  std::pair<std::string, std::string> open_position(const std::string& ticket = "T1");
  // The engine reports that the position's level was crossed.
  void breach(const std::string& position_id, const std::string& reason = "sl_hit", int64_t price = 108'990,
              int64_t level = 109'000, int64_t volume = 0);
  // The live command ids close_commands delivers to the device.
  std::vector<std::string> deliver_commands(const std::string& device);

  // The store's rows of Record's entity, selected by id and owner (empty:
  // any) and, for the audit log, after a seq; in the store's order.
  template <class Record>
  std::vector<Record> rows(const std::string& id = {}, const std::string& owner = {}, int64_t after_seq = 0) const;
  std::vector<Audit> audit() const;
  // The actions audited for an entity, in order.
  std::vector<std::string> actions(const std::string& entity_id) const;
  Position position_row(const std::string& id) const;
  std::vector<Command> commands_of(const std::string& position_id) const;

 private:
  void build();

  core::Instruments instruments_;
  core::Metrics metrics_;
  core::HostServices store_host_;
  core::Component<vigil_store_vtable> store_;
  PluginHarness cipher_plugin_;
  core::Component<vigil_cipher_vtable> cipher_;
  core::WorkflowOptions options_;
  FakeEngines engines_;
  int64_t now_ = 1'700'000'000'000;
  std::unique_ptr<core::Workflow> workflow_;
  core::Workflow* driven_ = nullptr;  // null: workflow_
  FakeEngines* driven_engines_ = nullptr;

  core::Workflow& driven() { return driven_ ? *driven_ : *workflow_; }
  FakeEngines& driven_engines() { return driven_engines_ ? *driven_engines_ : engines_; }
};

template <class Record>
std::vector<Record> Harness::rows(const std::string& id, const std::string& owner, int64_t after_seq) const {
  std::vector<Record> out;
  vigil_store_query query{sizeof(vigil_store_query),
                          Record::entity,
                          vigil::test::store::s(id),
                          vigil::test::store::s(owner),
                          {},
                          after_seq,
                          0};
  vigil_store_visitor visitor{sizeof(vigil_store_visitor), &out,
                              [](void* sink, int32_t, const void* record) -> vigil_status {
                                static_cast<std::vector<Record>*>(sink)->push_back(
                                    Record::from(*static_cast<const typename Record::C*>(record)));
                                return VIGIL_OK;
                              }};
  core::ErrorBuffer error;
  error.check(store_.vtable()->query(store_.instance(), &query, &visitor, error.get()), "store-memory");
  return out;
}

// Whether `needle` occurs in order, as a subsequence, in `haystack`.
bool in_order(const std::vector<std::string>& haystack, const std::vector<std::string>& needle);

}  // namespace vigil::test::workflow

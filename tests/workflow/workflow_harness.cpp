#include "workflow_harness.hpp"

#include <cstdlib>

namespace vigil::test::workflow {
namespace {

// The cipher's master key comes from the environment (as in vigild); a fixed
// one keeps the tests deterministic.
constexpr const char* kKeyVariable = "VIGIL_WORKFLOW_TEST_MASTER_KEY";
constexpr const char* kMasterKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

core::Component<vigil_cipher_vtable> make_cipher(PluginHarness& plugin) {
  setenv(kKeyVariable, kMasterKey, 1);
  return plugin.create<vigil_cipher_vtable>(VIGIL_KIND_CIPHER, json{{"key_env", kKeyVariable}}.dump());
}

core::Component<vigil_store_vtable> make_store(const core::HostServices& host) {
  core::Component<vigil_store_vtable> store(memory_store_vtable(), "store-memory", "{}", host.table());
  core::ErrorBuffer error;
  int64_t version = 0;
  error.check(store.vtable()->migrate(store.instance(), &version, error.get()), "store-memory");
  return store;
}

core::JsonFields params_of(const std::string& name, const std::string& value) {
  core::JsonFields params;
  if (!value.empty()) params[name] = core::JsonField{core::JsonField::Kind::string, value, value};
  return params;
}

std::string param_name(std::string_view operation) {
  return operation == "admin.create_device" ? "client_id" : "position_id";
}

void expect_refusal(const core::ApiError& e, const Refusal& expected, std::string_view operation) {
  EXPECT_EQ(e.status(), expected.status) << operation << ": " << e.code() << ": " << e.what();
  EXPECT_EQ(e.code(), expected.code) << operation << ": " << e.what();
}

}  // namespace

core::EngineLink FakeEngines::link() {
  core::EngineLink link;
  link.watch = [this](const core::NewPosition& p) {
    watches.push_back(p);
    watching[p.key] = p;
  };
  link.unwatch = [this](uint64_t key, core::InstrumentId) {
    unwatches.push_back(key);
    watching.erase(key);
  };
  link.validate = [this](const core::NewPosition&) { return refusal; };
  link.market_price = [this](core::InstrumentId, core::Side) { return market; };
  return link;
}

uint64_t FakeEngines::key_of(const std::string& position_id) const {
  for (const auto& [key, p] : watching)
    if (p.id == position_id) return key;
  ADD_FAILURE() << "position " << position_id << " is not watched by the engines";
  return 0;
}

bool FakeEngines::watched(const std::string& position_id) const {
  for (const auto& [key, p] : watching)
    if (p.id == position_id) return true;
  return false;
}

Harness::Harness(core::WorkflowOptions options)
    : store_host_("store-memory", metrics_, nullptr),
      store_(make_store(store_host_)),
      cipher_plugin_("cipher-sodium"),
      cipher_(make_cipher(cipher_plugin_)),
      options_(options) {
  instruments_.add("EURUSD", 5);
  instruments_.add("USDJPY", 3);
  build();
}

Harness::~Harness() = default;

void Harness::build() {
  engines_ = FakeEngines{};
  workflow_ = host(engines_, nullptr);
}

std::unique_ptr<core::Workflow> Harness::host(FakeEngines& engines, const core::Ownership* ownership) {
  auto workflow = std::make_unique<core::Workflow>(instruments_, core::StorePort(store_), core::CipherPort(cipher_),
                                                   std::vector<std::string>{"rule-sltp"}, engines.link(), options_,
                                                   [this] { return now_; });
  workflow->set_ownership(ownership);
  workflow->recover();
  return workflow;
}

void Harness::drive(core::Workflow& workflow, FakeEngines& engines) {
  driven_ = &workflow;
  driven_engines_ = &engines;
}

void Harness::drive_own() {
  driven_ = nullptr;
  driven_engines_ = nullptr;
}

MemoryStore& Harness::store() {
  return *static_cast<MemoryStore*>(store_.instance());
}

void Harness::advance(int64_t ms) {
  now_ += ms;
  workflow_->maintain();
}

void Harness::restart() {
  workflow_.reset();
  build();
}

json Harness::admin(std::string_view operation, const json& body, const std::string& id) {
  return json::parse(
      core::WorkflowApi(driven()).call(operation, "admin", params_of(param_name(operation), id), body.dump()));
}

json Harness::ea(const std::string& device, std::string_view operation, const json& body) {
  std::string text = operation == "client.poll" || operation == "client.close_commands" ? "" : body.dump();
  return json::parse(core::WorkflowApi(driven()).call(operation, device, {}, text));
}

core::ApiError Harness::admin_refused(const Refusal& expected, std::string_view operation, const json& body,
                                      const std::string& id) {
  try {
    json answer = admin(operation, body, id);
    ADD_FAILURE() << operation << " was answered, expected " << expected.code << ": " << answer.dump();
  } catch (const core::ApiError& e) {
    expect_refusal(e, expected, operation);
    return e;
  }
  return core::ApiError(VIGIL_OK, "", "");
}

core::ApiError Harness::ea_refused(const Refusal& expected, const std::string& device, std::string_view operation,
                                   const json& body) {
  try {
    json answer = ea(device, operation, body);
    ADD_FAILURE() << operation << " was answered, expected " << expected.code << ": " << answer.dump();
  } catch (const core::ApiError& e) {
    expect_refusal(e, expected, operation);
    return e;
  }
  return core::ApiError(VIGIL_OK, "", "");
}

std::string Harness::client() {
  return admin("admin.create_client", {{"name", "Client"}}).at("client_id");
}

std::string Harness::device(const std::string& client_id) {
  return admin("admin.create_device", {{"name", "Terminal"}}, client_id).at("device_id");
}

std::vector<std::string> Harness::signal(const std::string& client_id, const json& fields) {
  json body = {{"client_id", client_id}, {"instrument", "EURUSD"}, {"side", "buy"},
               {"volume", "0.10"},       {"owner_sl", "1.09000"},  {"owner_tp", "1.11000"}};
  body.update(fields);
  json answer = admin("admin.create_signal", body);
  std::vector<std::string> ids;
  for (const json& p : answer.at("positions")) ids.push_back(p.at("position_id"));
  return ids;
}

json Harness::execution(const std::string& position_id, const std::string& ticket, const std::string& price,
                        const std::string& volume) const {
  return {{"position_id", position_id}, {"status", "executed"},        {"execution_id", "X-" + ticket},
          {"broker_ticket", ticket},    {"actual_entry_price", price}, {"filled_volume", volume}};
}

std::pair<std::string, std::string> Harness::open_position(const std::string& ticket) {
  std::string c = client();
  std::string d = device(c);
  std::string p = signal(c).at(0);
  ea(d, "client.poll");
  ea(d, "client.ack", execution(p, ticket));
  return {d, p};
}

void Harness::breach(const std::string& position_id, const std::string& reason, int64_t price, int64_t level,
                     int64_t volume) {
  core::CloseEvent e;
  e.key = driven_engines().key_of(position_id);
  e.instrument = *instruments_.find("EURUSD");
  e.reason = reason;
  e.price = price;
  e.level = level;
  e.volume = volume;
  e.time_unix_ms = now_;
  driven().on_engine_output({e}, {});
}

std::vector<std::string> Harness::deliver_commands(const std::string& device) {
  json answer = ea(device, "client.close_commands");
  std::vector<std::string> ids;
  for (const json& c : answer.at("commands")) ids.push_back(c.at("command_id"));
  return ids;
}

std::vector<Audit> Harness::audit() const {
  return rows<Audit>();
}

std::vector<std::string> Harness::actions(const std::string& entity_id) const {
  std::vector<std::string> out;
  for (const Audit& a : audit())
    if (a.entity_id == entity_id) out.push_back(a.action);
  return out;
}

Position Harness::position_row(const std::string& id) const {
  std::vector<Position> found = rows<Position>(id);
  if (found.empty()) {
    ADD_FAILURE() << "no position " << id << " in the store";
    return {};
  }
  return found[0];
}

std::vector<Command> Harness::commands_of(const std::string& position_id) const {
  std::vector<Command> out;
  for (Command& c : rows<Command>())
    if (c.position_id == position_id) out.push_back(c);
  return out;
}

bool in_order(const std::vector<std::string>& haystack, const std::vector<std::string>& needle) {
  size_t i = 0;
  for (const std::string& h : haystack)
    if (i < needle.size() && h == needle[i]) ++i;
  return i == needle.size();
}

}  // namespace vigil::test::workflow

// The operator's lists (GET /api/v1/admin/clients, /clients/{id}/devices,
// /positions, /close-commands, /audit) and device deactivation, between the
// query string and the workflow's typed pages. Every list answers
// {"items": [...], "next_cursor": string or null}; `limit` is 1-1000
// (default 100) and `cursor` a next_cursor handed out before. A parameter
// the route does not take, or a value it cannot read, is a 400 naming it.
#include <nlohmann/json.hpp>

#include "core/support/json_writer.hpp"
#include "core/workflow/api_error.hpp"
#include "core/workflow/api_json.hpp"
#include "core/workflow/workflow_api.hpp"

namespace vigil::core {
namespace {

using nlohmann::json;

constexpr size_t kDefaultLimit = 100, kMaxLimit = 1000;

ApiError bad_parameter(const std::string& name, const std::string& why) {
  return ApiError(VIGIL_INVALID_ARGUMENT, "invalid_argument", "parameter '" + name + "': " + why);
}

// The query parameters of one call (the transport passes them as the
// "query" object of the call's params, each a string).
class QueryParams {
 public:
  QueryParams(const ApiCall& call, std::initializer_list<const char*> known) {
    auto query = call.params.find("query");
    if (query == call.params.end() || !query->second.value.is_object()) return;
    for (const auto& [name, value] : query->second.value.items()) {
      bool takes = name == "limit" || name == "cursor";
      for (const char* k : known) takes = takes || name == k;
      // The name is echoed: cut, since only the URL's length bounds it.
      if (!takes) throw bad_parameter(utf8_prefix(name, 64), "this list takes no such parameter");
      if (!value.is_string() || value.get<std::string>().empty()) throw bad_parameter(name, "expected a value");
      values_[name] = value.get<std::string>();
    }
  }

  std::optional<std::string> text(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::nullopt : std::optional(it->second);
  }

  // A whole number in [low, high]; nullopt when absent.
  std::optional<int64_t> number(const std::string& name, int64_t low, int64_t high) const {
    std::optional<std::string> t = text(name);
    if (!t) return std::nullopt;
    int64_t n = 0;
    for (char c : *t) {
      if (c < '0' || c > '9' || n > (high - (c - '0')) / 10)
        throw bad_parameter(name,
                            "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
      n = n * 10 + (c - '0');
    }
    if (n < low)
      throw bad_parameter(name, "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    return n;
  }

  size_t limit() const {
    return static_cast<size_t>(number("limit", 1, kMaxLimit).value_or(static_cast<int64_t>(kDefaultLimit)));
  }
  std::optional<std::string> cursor() const { return text("cursor"); }

 private:
  std::map<std::string, std::string> values_;
};

std::string path_param(const ApiCall& call, const char* name) {
  auto it = call.params.find(name);
  return it == call.params.end() ? std::string() : it->second.text;
}

// Runs a read of the index; a cursor it did not hand out is the caller's 400.
template <class F>
auto paged(F&& read) {
  try {
    return read();
  } catch (const std::invalid_argument& e) {
    throw bad_parameter("cursor", e.what());
  }
}

// {"items":[...],"next_cursor":...}, each item written by write_item
// straight into the text: no JSON tree (json_writer.hpp says why).
template <class Row, class WriteItem>
std::string page_json(const Page<Row>& page, WriteItem&& write_item) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const Row& row : page.items) write_item(w, row);
  w.end_array().key("next_cursor");
  if (page.next_cursor)
    w.string(*page.next_cursor);
  else
    w.null();
  return w.end_object().take();
}

void position_item(JsonWriter& w, const PositionRow& p) {
  w.begin_object();
  w.key("position_id").string(p.id).key("signal_id").string(p.signal_id);
  w.key("client_id").string(p.client_id).key("device_id").string(p.device_id);
  w.key("instrument").string(p.instrument).key("side").string(side_word(p.side));
  w.key("state").string(name(p.state)).key("version").number(p.version).key("volume").string(p.volume);
  w.key("created_at").number(p.created_at).key("opened_at").number(p.opened_at);
  w.key("closed_at").number(p.closed_at).key("updated_at").number(p.updated_at);
  w.key("entry_price").text_or_null(p.entry_price).key("owner_sl").text_or_null(p.owner_sl);
  w.key("owner_tp").text_or_null(p.owner_tp).key("broker_ticket").text_or_null(p.broker_ticket);
  w.key("actual_entry_price").text_or_null(p.actual_entry_price);
  w.key("filled_volume").text_or_null(p.filled_volume).key("close_price").text_or_null(p.close_price);
  w.key("close_reason").text_or_null(p.close_reason).key("error_message").text_or_null(p.error_message);
  w.end_object();
}

std::string clients(Workflow& workflow, const ApiCall& call) {
  QueryParams q(call, {});
  return page_json(paged([&] { return workflow.list_clients(q.cursor(), q.limit()); }),
                   [](JsonWriter& w, const ClientRow& c) {
                     w.begin_object().key("client_id").string(c.id).key("name").string(c.name);
                     w.key("created_at").number(c.created_at).end_object();
                   });
}

std::string devices(Workflow& workflow, const ApiCall& call) {
  QueryParams q(call, {});
  auto page = paged([&] { return workflow.list_devices(path_param(call, "client_id"), q.cursor(), q.limit()); });
  return page_json(page, [](JsonWriter& w, const ListedDevice& d) {
    w.begin_object().key("device_id").string(d.row.id).key("client_id").string(d.row.client_id);
    w.key("name").string(d.row.name).key("active").boolean(d.row.active).key("created_at").number(d.row.created_at);
    w.key("last_seen");
    if (d.last_seen)
      w.number(d.last_seen);
    else
      w.null();
    w.end_object();
  });
}

std::string positions(Workflow& workflow, const ApiCall& call) {
  QueryParams q(call, {"client_id", "device_id", "state", "instrument"});
  PositionFilter filter{q.text("client_id"), q.text("device_id"), q.text("instrument"), std::nullopt};
  if (std::optional<std::string> state = q.text("state")) {
    filter.state = parse_position_state(*state);
    if (!filter.state)
      throw bad_parameter("state", "expected pending, acknowledged, open, closing, closed or rejected");
  }
  return page_json(paged([&] { return workflow.list_positions(filter, q.cursor(), q.limit()); }), position_item);
}

std::string close_commands(Workflow& workflow, const ApiCall& call) {
  QueryParams q(call, {"state", "overdue"});
  CommandFilter filter;
  if (std::optional<std::string> state = q.text("state")) {
    filter.status = parse_command_status(*state);
    if (!filter.status) throw bad_parameter("state", "expected pending, acknowledged, executed, failed or expired");
  }
  if (std::optional<std::string> overdue = q.text("overdue")) {
    if (*overdue != "true" && *overdue != "false") throw bad_parameter("overdue", "expected true or false");
    filter.overdue = *overdue == "true";
  }
  auto page = paged([&] { return workflow.list_commands(filter, q.cursor(), q.limit()); });
  return page_json(page, [](JsonWriter& w, const ListedCommand& listed) {
    const CommandRow& c = listed.row;
    w.begin_object().key("command_id").string(c.id).key("position_id").string(c.position_id);
    w.key("device_id").string(c.device_id).key("reason").string(c.reason).key("status").string(name(c.status));
    w.key("attempt").number(c.attempts + 1).key("overdue").boolean(listed.overdue);
    w.key("created_at").number(c.created_at).key("executed_at").number(c.executed_at);
    w.key("level").text_or_null(c.level).key("expected_price").text_or_null(c.expected_price);
    w.key("actual_close_price").text_or_null(c.actual_close_price).key("volume").text_or_null(c.volume);
    w.key("broker_deal").text_or_null(c.broker_deal).key("error_message").text_or_null(c.error_message);
    w.end_object();
  });
}

void chain_json(JsonWriter& w, const ChainStatus& c) {
  w.begin_object().key("verified").boolean(c.verified).key("verified_through").number(c.verified_through);
  w.key("broken_at");
  if (c.broken_at)
    w.number(*c.broken_at);
  else
    w.null();
  w.key("error").text_or_null(c.error).key("hashes_recomputed").boolean(c.hashes_recomputed).end_object();
}

std::string audit(Workflow& workflow, const ApiCall& call) {
  QueryParams q(call, {"after_seq", "position_id"});
  if (q.text("after_seq") && q.cursor()) throw bad_parameter("cursor", "give after_seq or cursor, not both");
  int64_t after =
      q.cursor() ? q.number("cursor", 0, INT64_MAX).value_or(0) : q.number("after_seq", 0, INT64_MAX).value_or(0);
  AuditPage page = workflow.audit(after, q.limit(), q.text("position_id"));
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const AuditRow& r : page.items) {
    w.begin_object().key("seq").number(r.seq).key("at").number(r.at).key("entity").string(r.entity);
    w.key("entity_id").string(r.entity_id).key("action").string(r.action).key("detail");
    // The detail as the store keeps it, JSON text; a row that is not JSON
    // (written by hand into the store) is shown as the text it is.
    if (r.detail_json.empty())
      w.raw("{}");
    else if (json::accept(r.detail_json))
      w.raw(r.detail_json);
    else
      w.string(r.detail_json);
    w.key("prev_hash").string(r.prev_hash).key("hash").string(r.hash).end_object();
  }
  w.end_array().key("next_cursor");
  if (page.next_after_seq)
    w.string(std::to_string(*page.next_after_seq));
  else
    w.null();
  w.key("chain");
  chain_json(w, page.chain);
  return w.end_object().take();
}

std::string deactivate_device(Workflow& workflow, const ApiCall& call) {
  std::string device_id = path_param(call, "device_id");
  workflow.deactivate_device(device_id);
  return json{{"device_id", device_id}, {"active", false}}.dump();
}

}  // namespace

const ApiOperations& admin_read_operations() {
  static const ApiOperations kOperations = {{"admin.list_clients", clients},
                                            {"admin.list_devices", devices},
                                            {"admin.list_positions", positions},
                                            {"admin.list_close_commands", close_commands},
                                            {"admin.audit", audit},
                                            {"admin.deactivate_device", deactivate_device}};
  return kOperations;
}

}  // namespace vigil::core

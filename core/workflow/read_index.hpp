// The operator's read side: every client, device, position and close
// command the store holds, with ordered indexes that answer a filtered,
// cursor-paged list without walking the book (GET /api/v1/admin/clients,
// .../devices, /positions, /close-commands).
//
// It mirrors the store: filled once from it at start (load), then told of
// every batch after it committed (take) and of every row read back from a
// commit in doubt (put). Positions and commands carry versions, so a row
// older than the one held is ignored, whichever order the news arrives in.
//
// Each position and command gets an ordinal, in the order this index first
// learned of it (at start the store's order: creation time, then id), and
// pages follow ordinals. A position is filed under its state, and under
// (client, state), (device, state) and (instrument, state); a list merges
// the sets of the states asked for (at most six) from the cursor on, so a
// page costs O(limit x log n) on the narrowest key the filter names. A
// filter naming both a device or client and an instrument reads the owner's
// sets and checks the instrument row by row: bounded by that owner's
// positions, never by the book. Commands are filed under their status;
// "overdue" is checked row by row on the live statuses only.
//
// Memory: a copy of each position's row (without its rule states) and four
// set entries: 1,152 bytes a position at 1,000,000 (bench/README.md
// "reads").
//
// Threading: one shared mutex; lists take it shared, updates exclusive and
// briefly (no store call under it).
// Errors: a cursor this index did not hand out is std::invalid_argument.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/workflow/records.hpp"
#include "core/workflow/store_port.hpp"

namespace vigil::core {

template <class Row>
struct Page {
  std::vector<Row> items;
  std::optional<std::string> next_cursor;  // nullopt: this was the last page
};

struct PositionFilter {
  std::optional<std::string> client_id, device_id, instrument;
  std::optional<PositionState> state;
};

struct CommandFilter {
  std::optional<CommandStatus> status;
  // Overdue: live (pending or acknowledged) and created at or before this
  // time (now minus the alert time); nullopt: either.
  std::optional<bool> overdue;
  int64_t overdue_if_created_by = 0;
};

class ReadIndex {
 public:
  // Reads every client, device, position and command the store holds.
  // Throws StoreError.
  void load(const StorePort& store);
  // Every row of a committed batch.
  void take(const WriteBatch& batch);
  void put(const ClientRow& row);
  void put(const DeviceRow& row);
  void put(const PositionRow& row);
  void put(const CommandRow& row);

  // Pages, `limit` rows at most after `cursor` (nullopt: from the start).
  Page<ClientRow> clients(const std::optional<std::string>& cursor, size_t limit) const;
  // nullopt when the client does not exist.
  std::optional<Page<DeviceRow>> devices(const std::string& client_id, const std::optional<std::string>& cursor,
                                         size_t limit) const;
  Page<PositionRow> positions(const PositionFilter& filter, const std::optional<std::string>& cursor,
                              size_t limit) const;
  Page<CommandRow> commands(const CommandFilter& filter, const std::optional<std::string>& cursor, size_t limit) const;
  // The ids the audit log files a position's history under: its own and
  // its close commands'. nullopt when the position is unknown.
  std::optional<std::set<std::string>> audit_entities_of(const std::string& position_id) const;
  // A device's row (its secret left out); nullopt when unknown.
  std::optional<DeviceRow> device(const std::string& device_id) const;

 private:
  using Ordinals = std::set<uint32_t>;
  template <class Row>
  struct Table {
    std::vector<Row> rows;                                 // by ordinal
    std::unordered_map<std::string, uint32_t> ordinal_of;  // by id
  };
  void put_locked(const PositionRow& row);
  void put_locked(const CommandRow& row);
  void put_locked(const ClientRow& row);
  void put_locked(const DeviceRow& row);
  void file_position(uint32_t ordinal, const PositionRow& row, bool add);
  // The first ordinal a page after `cursor` reads.
  static uint32_t first_after(const std::unordered_map<std::string, uint32_t>& ordinal_of,
                              const std::optional<std::string>& cursor);

  mutable std::shared_mutex mutex_;
  std::map<std::string, ClientRow> clients_;                         // by id
  std::map<std::string, std::map<std::string, DeviceRow>> devices_;  // by client, then id
  std::unordered_map<std::string, std::string> client_of_device_;
  Table<PositionRow> positions_;
  Table<CommandRow> commands_;
  std::unordered_map<std::string, Ordinals> position_sets_;  // by key (read_index.cpp: position_key)
  std::unordered_map<std::string, Ordinals> command_sets_;   // by status name
  std::unordered_map<std::string, std::vector<uint32_t>> commands_of_position_;
};

}  // namespace vigil::core

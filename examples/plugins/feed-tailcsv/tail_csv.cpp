// feed-tailcsv: an example feed for integrators. It follows a CSV tick file
// that another program keeps appending to (header time,instrument,bid,ask,
// the format feed-replay reads) and publishes each row once its line is
// complete. It shows the whole feed contract in one page: options read at
// create (vigil/cpp/options.hpp), run() polling on the host's feed thread,
// stop() honoured within one wait, health() read from another thread, the
// host's refusals of a tick handled per row.
//
// What it does with the file (README.md says more):
//  - polls it every `poll`; a line is published once its '\n' arrived, so a
//    row caught half-written is read whole on a later poll;
//  - a file replaced under the same name (renamed away and created again,
//    logrotate's default) is finished first, then the new one followed from
//    its start; a file that shrank (truncated in place, copytruncate) is
//    followed again from its start; each counts as a reconnect;
//  - a missing file is waited for (connected: false meanwhile);
//  - a malformed row, or one the host refuses, is skipped, logged with its
//    file and line, and counted; a wrong header stops the feed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/cpp/options.hpp"
#include "vigil/sdk.hpp"

namespace {

using namespace vigil;

struct Options {
  std::string file;
  int64_t poll_ms = 200;
  bool from_start = false;  // publish the rows already in the file at start
};

// The options, read with the SDK's reader: unknown keys and bad values are
// refused at create, naming the key ("feed-tailcsv: option poll: ...").
Options read_options(const std::string& json) {
  sdk::Options o(json, "feed-tailcsv");
  Options out;
  out.file = o.required_string("file");
  out.poll_ms = o.duration_ms("poll", 200, 10, 60000);
  out.from_start = o.one_of("from", {"start", "end"}, "end") == "start";
  o.finish();
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t at; (at = text.find(separator, start)) != std::string_view::npos; start = at + 1)
    out.push_back(text.substr(start, at - start));
  out.push_back(text.substr(start));
  return out;
}

// Digits with at most one point: signs, exponents and spaces never reach the
// host. The host then refuses more decimals than the instrument's digits.
bool is_plain_decimal(std::string_view text) {
  bool digit = false, point = false;
  for (char c : text) {
    if (c == '.' && !point)
      point = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      return false;
  }
  return digit;
}

class TailCsvFeed final : public sdk::Feed {
 public:
  explicit TailCsvFeed(const sdk::CreateArgs& args) : host_(args.host), options_(read_options(args.options_json)) {}

  ~TailCsvFeed() override { close_file(); }

  void run() override {
    while (!stop_.requested()) {
      poll();
      if (stop_.wait_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.poll_ms))) break;
    }
    close_file();
  }

  void stop() noexcept override { stop_.request(); }

  sdk::FeedHealth health() const override {
    sdk::FeedHealth h;
    h.connected = connected_;
    h.last_tick_unix_ms = last_tick_;
    h.ticks_published = published_;
    h.rows_skipped = skipped_;
    h.reconnects = reconnects_;
    return h;
  }

 private:
  // One look at the file: notices rotation, truncation and absence, then
  // reads whatever was appended since the last look.
  void poll() {
    struct stat named {};
    bool exists = ::stat(options_.file.c_str(), &named) == 0;
    if (fd_ >= 0) {
      struct stat opened {};
      ::fstat(fd_, &opened);
      if (!exists || named.st_ino != opened.st_ino || named.st_dev != opened.st_dev) {
        read_appended();  // what the old file got before it was replaced
        if (!partial_.empty())
          skip(options_.file + ":" + std::to_string(line_ + 1) + ": the file was replaced with this line unfinished");
        host_.info(options_.file + (exists ? ": replaced; following the new file from its start"
                                           : ": removed; waiting for it to appear again"));
        close_file();
      } else if (opened.st_size < offset_) {
        host_.info(options_.file + ": truncated; following it again from its start");
        restart_from_start();
        ++reconnects_;
      }
    }
    if (fd_ < 0 && exists && open_file()) {
      if (opened_once_) ++reconnects_;
      opened_once_ = true;
    }
    first_poll_ = false;
    if (fd_ >= 0) read_appended();
  }

  bool open_file() {
    fd_ = ::open(options_.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return false;
    restart_from_start();
    // Rows complete at the feed's first look are old prices: passed over
    // unless `from: start`. Whatever is written after that look is new.
    struct stat opened {};
    if (first_poll_ && !options_.from_start && ::fstat(fd_, &opened) == 0) publish_from_ = opened.st_size;
    connected_ = true;  // after the look: a row appended once this shows is published
    host_.info(options_.file + ": following");
    return true;
  }

  void close_file() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    connected_ = false;
  }

  void restart_from_start() {
    publish_from_ = 0;
    offset_ = 0;
    line_ = 0;
    sequence_ = 0;
    header_seen_ = false;
    partial_.clear();
  }

  // Reads to the current end of the file and handles every complete line.
  void read_appended() {
    char buffer[65536];
    while (!stop_.requested()) {
      ssize_t n = ::pread(fd_, buffer, sizeof buffer, offset_);
      if (n <= 0) return;  // the end for now (an error reads as "nothing new": the next poll retries)
      off_t base = offset_ - static_cast<off_t>(partial_.size());  // where partial_ starts in the file
      offset_ += n;
      partial_.append(buffer, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t end; (end = partial_.find('\n', start)) != std::string::npos; start = end + 1) {
        ++line_;
        line(std::string_view(partial_).substr(start, end - start), base + static_cast<off_t>(end) >= publish_from_);
      }
      partial_.erase(0, start);
    }
  }

  void line(std::string_view text, bool publish) {
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (!header_seen_) {
      if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte order mark
      if (text != "time,instrument,bid,ask")
        throw sdk::Error(VIGIL_INVALID_ARGUMENT, where() + ": field 'header': expected \"time,instrument,bid,ask\"");
      header_seen_ = true;
      return;
    }
    if (text.find_first_not_of(" \t") == std::string_view::npos) return;  // blank: no tick, not a data row
    int64_t sequence = sequence_++;
    if (publish) row(text, sequence);
  }

  void row(std::string_view text, int64_t sequence) {
    auto fields = split(text, ',');
    if (fields.size() != 4)
      return skip(where() + ": field 'row': expected 4 columns (time,instrument,bid,ask), found " +
                  std::to_string(fields.size()));
    auto time = sdk::parse_time(fields[0]);
    if (!time) return skip(where() + ": field 'time': '" + std::string(fields[0]) + "' is not ISO-8601 UTC or unix ms");
    if (fields[1].empty()) return skip(where() + ": field 'instrument': is empty");
    if (fields[2].empty() && fields[3].empty()) return skip(where() + ": field 'bid': both bid and ask are empty");
    for (auto [name, value] : {std::pair{"bid", fields[2]}, std::pair{"ask", fields[3]}})
      if (!value.empty() && !is_plain_decimal(value))
        return skip(where() + ": field '" + name + "': '" + std::string(value) + "' is not a decimal number");

    std::string why;
    vigil_status status = host_.publish_tick({fields[1], fields[2], fields[3], *time, sequence}, why);
    if (status == VIGIL_OK) {
      ++published_;
      last_tick_ = *time;
    } else if (status == VIGIL_INVALID_ARGUMENT) {  // the row's fault (an unknown instrument, too many decimals)
      skip(where() + ": " + why);
    } else {  // the host's: nothing this feed can fix, so it stops and says so
      throw sdk::Error(status, where() + ": " + why);
    }
  }

  void skip(const std::string& why) {
    ++skipped_;
    host_.warn("skipped: " + why);
    host_.counter_add("vigil_feed_rows_skipped_total");
  }

  std::string where() const { return options_.file + ":" + std::to_string(line_); }

  sdk::Host host_;
  const Options options_;
  sdk::StopSignal stop_;
  // The feed thread's own: the open file and how far it was read.
  int fd_ = -1;
  bool opened_once_ = false;
  bool first_poll_ = true;
  off_t offset_ = 0;
  int64_t line_ = 0;
  int64_t sequence_ = 0;  // the next data row's 0-based index in this file
  bool header_seen_ = false;
  off_t publish_from_ = 0;  // lines ending before this offset were there at the first look
  std::string partial_;     // bytes after the last '\n': a line still being written
  // Read by health() on another thread.
  std::atomic<bool> connected_{false};
  std::atomic<int64_t> last_tick_{0};
  std::atomic<uint64_t> published_{0}, skipped_{0}, reconnects_{0};
};

}  // namespace

VIGIL_PLUGIN("feed-tailcsv", "1.0.0", "example: follows a growing CSV tick file and publishes its new rows",
             vigil::sdk::feed<TailCsvFeed>())

#include "console_files.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace vigil::http {
namespace {

[[noreturn]] void fail(const std::string& why) {
  throw std::invalid_argument("transport-http: option console_dir: " + why);
}

bool safe_segment(const std::string& segment) {
  if (segment.empty() || segment.front() == '.') return false;
  return std::all_of(segment.begin(), segment.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

// "/console/js/app.js" for <dir>/js/app.js, or "" when a segment is not safe.
std::string url_path(const std::filesystem::path& relative) {
  std::string out = "/console";
  for (const auto& segment : relative) {
    if (!safe_segment(segment.string())) return {};
    out += "/" + segment.string();
  }
  return out;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail("cannot read " + file.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) fail("cannot read " + file.string());
  return std::move(bytes).str();
}

}  // namespace

std::string console_content_type(const std::filesystem::path& file) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const std::string extension = file.extension().string();
  for (const auto& [suffix, type] : kTypes)
    if (extension == suffix) return type;
  return {};
}

ConsoleFiles ConsoleFiles::load(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) fail(dir.string() + " is not a directory");
  ConsoleFiles out;
  out.dir = dir;
  size_t total = 0;
  std::filesystem::recursive_directory_iterator walk(dir, error), end;
  if (error) fail("cannot list " + dir.string() + ": " + error.message());
  for (; walk != end; walk.increment(error)) {
    if (error) fail("cannot list " + dir.string() + ": " + error.message());
    const std::filesystem::directory_entry& entry = *walk;
    std::filesystem::path relative = entry.path().lexically_relative(dir);
    if (entry.is_directory() && !entry.is_symlink()) {
      if (safe_segment(entry.path().filename().string())) continue;
      out.skipped.push_back(relative.string());  // ".git" and the like: not entered
      walk.disable_recursion_pending();
      continue;
    }
    std::string path = url_path(relative);
    std::string type = console_content_type(entry.path());
    if (entry.is_symlink() || !entry.is_regular_file() || path.empty() || type.empty()) {
      out.skipped.push_back(relative.string());  // a linked directory is not followed either
      continue;
    }
    std::string body = read_file(entry.path());
    total += body.size();
    if (total > kMaxConsoleBytes)
      fail(dir.string() + " holds more than " + std::to_string(kMaxConsoleBytes >> 20) + " MiB of files");
    out.files.push_back({std::move(path), std::move(type), std::move(body)});
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const ConsoleFile& a, const ConsoleFile& b) { return a.url_path < b.url_path; });
  return out;
}

ConsoleFiles ConsoleFiles::for_option(const std::string& console_dir) {
  if (!console_dir.empty()) return load(console_dir);
  std::filesystem::path dir = default_console_dir();
  std::error_code error;
  if (!dir.empty() && std::filesystem::is_directory(dir, error)) return load(dir);
  ConsoleFiles none;
  none.dir = dir;
  return none;
}

std::filesystem::path default_console_dir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&default_console_dir), &info) == 0 || !info.dli_fname) return {};
  std::filesystem::path library = std::filesystem::absolute(info.dli_fname);
  return library.parent_path().parent_path() / "console";
}

}  // namespace vigil::http

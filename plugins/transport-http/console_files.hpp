// The operator's console as files in memory: every file under the console
// directory, read once when the transport is created, each with its
// Content-Type and the URL path it is served at ("/console/<relative
// path>"). Only what is read here can ever be served, so no request path
// reaches the file system: "/console/../x" is simply not a file of the set.
//
// Threading: built before serving, then only read (any thread).
// Errors: load() throws std::invalid_argument naming the option
// console_dir and the file or directory at fault.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace vigil::http {

struct ConsoleFile {
  std::string url_path;      // "/console/js/app.js"
  std::string content_type;  // "text/javascript; charset=utf-8"
  std::string body;
};

// At most this much is read in all: the console is a handful of small files,
// and a console_dir pointed at the wrong tree should fail, not fill memory.
inline constexpr size_t kMaxConsoleBytes = 16 << 20;

struct ConsoleFiles {
  std::filesystem::path dir;  // where they were read from
  std::vector<ConsoleFile> files;
  std::vector<std::string> skipped;  // files not served (type unknown, a symbolic link, an odd name), for the log

  // Reads every regular file under `dir` with a known type. A file or
  // directory whose name is not [A-Za-z0-9._-] or starts with '.' (".git"),
  // a symbolic link (it could point outside `dir`) and a file of another
  // type are skipped (a directory is not entered) and listed in `skipped`.
  static ConsoleFiles load(const std::filesystem::path& dir);

  // The console the options ask for: `console_dir` when set (it must
  // exist), else default_console_dir() when it exists, else none (no files).
  static ConsoleFiles for_option(const std::string& console_dir);
};

// The Content-Type a file is served with, from its extension; "" for one
// the console does not serve.
std::string console_content_type(const std::filesystem::path& file);

// The directory the console is read from when console_dir is not set:
// "console" beside the directory this plugin was loaded from (the build
// puts plugins in build/plugins and the console in build/console).
std::filesystem::path default_console_dir();

}  // namespace vigil::http

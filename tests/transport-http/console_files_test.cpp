// The console's files as the transport reads them: what is served, under
// which path and type, and what is refused or skipped.
#include "plugins/transport-http/console_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace vigil::http {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

const ConsoleFile* find(const ConsoleFiles& files, const std::string& url) {
  auto it =
      std::find_if(files.files.begin(), files.files.end(), [&](const ConsoleFile& f) { return f.url_path == url; });
  return it == files.files.end() ? nullptr : &*it;
}

TEST(ConsoleFiles, ReadsEachFileWithItsPathAndType) {
  test::TempDir dir;
  write(dir.path() / "index.html", "<!doctype html>");
  write(dir.path() / "style.css", "body{}");
  write(dir.path() / "js" / "pages" / "app.js", "export {};");
  write(dir.path() / "favicon.svg", "<svg/>");
  ConsoleFiles files = ConsoleFiles::load(dir.path());
  ASSERT_EQ(files.files.size(), 4u);
  EXPECT_TRUE(files.skipped.empty());
  const ConsoleFile* app = find(files, "/console/js/pages/app.js");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(app->body, "export {};");
  EXPECT_EQ(find(files, "/console/index.html")->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(find(files, "/console/style.css")->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(find(files, "/console/favicon.svg")->content_type, "image/svg+xml");
}

TEST(ConsoleFiles, SkipsLinksHiddenFilesOddNamesAndUnknownTypes) {
  test::TempDir dir;
  test::TempDir outside;
  write(outside.path() / "secret.txt", "not for the web");
  write(dir.path() / "index.html", "ok");
  write(dir.path() / ".hidden.js", "x");
  write(dir.path() / "notes.md", "x");
  write(dir.path() / "with space.js", "x");
  write(dir.path() / ".git" / "config.txt", "x");
  fs::create_symlink(outside.path() / "secret.txt", dir.path() / "link.txt");
  fs::create_directory_symlink(outside.path(), dir.path() / "linked");
  ConsoleFiles files = ConsoleFiles::load(dir.path());
  ASSERT_EQ(files.files.size(), 1u);
  EXPECT_EQ(files.files[0].url_path, "/console/index.html");
  std::vector<std::string> skipped = files.skipped;
  std::sort(skipped.begin(), skipped.end());
  EXPECT_EQ(skipped,
            (std::vector<std::string>{".git", ".hidden.js", "link.txt", "linked", "notes.md", "with space.js"}));
}

TEST(ConsoleFiles, RefusesADirectoryThatIsNotThereNamingTheOption) {
  try {
    ConsoleFiles::load("/nonexistent/console");
    FAIL() << "loaded a directory that does not exist";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "transport-http: option console_dir: /nonexistent/console is not a directory");
  }
  EXPECT_THROW(ConsoleFiles::for_option("/nonexistent/console"), std::invalid_argument);
}

TEST(ConsoleFiles, RefusesMoreThanItsLimit) {
  test::TempDir dir;
  write(dir.path() / "big.js", std::string(kMaxConsoleBytes + 1, 'x'));
  EXPECT_THROW(ConsoleFiles::load(dir.path()), std::invalid_argument);
}

TEST(ConsoleFiles, ServesOnlyKnownTypes) {
  EXPECT_EQ(console_content_type("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(console_content_type("a.png"), "image/png");
  EXPECT_EQ(console_content_type("a.JS"), "");
  EXPECT_EQ(console_content_type("a.map"), "");
  EXPECT_EQ(console_content_type("Makefile"), "");
}

}  // namespace
}  // namespace vigil::http

// schemas/api/openapi.yaml against the routes transport-http registers: the
// route table is built by the transport's own add_*_routes functions and
// listed by Router::routes(); every (method, path) it holds must be one of
// the document's operations and every operation one of its routes. The
// console's static files (/console/...) are not the API and not compared.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <utility>

#include "openapi_yaml.hpp"  // generated (plugins/transport-http/CMakeLists.txt)
#include "plugins/transport-http/admin_routes.hpp"
#include "plugins/transport-http/client_routes.hpp"
#include "plugins/transport-http/system_routes.hpp"
#include "tests/transport-http/scripted_app.hpp"

namespace {

using Operations = std::set<std::pair<std::string, std::string>>;  // (METHOD, path)

Operations registered_routes() {
  static vigil::test::ScriptedApp host_app;
  static vigil::http::AppClient app(host_app.table());
  static vigil::http::HttpMetrics metrics;
  static vigil::http::DeviceAuth auth(app, {});
  vigil::http::Router router;
  vigil::http::add_system_routes(router, app, metrics);
  vigil::http::add_admin_routes(router, app);
  vigil::http::add_client_routes(router, app, auth, vigil::sdk::Host(nullptr));
  Operations out;
  for (const auto& route : router.routes()) out.insert(route);
  return out;
}

Operations document_operations(const YAML::Node& document) {
  Operations out;
  for (const auto& path : document["paths"])
    for (const auto& operation : path.second) {
      std::string method = operation.first.as<std::string>();
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.emplace(method, path.first.as<std::string>());
    }
  return out;
}

// Every "$ref" to a file ("./x.json") anywhere under `node`.
void file_refs(const YAML::Node& node, std::set<std::string>& out) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      std::string key = entry.first.as<std::string>();
      if (key == "$ref" && entry.second.as<std::string>().rfind("./", 0) == 0)
        out.insert(entry.second.as<std::string>());
      file_refs(entry.second, out);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) file_refs(item, out);
  }
}

std::string listed(const Operations& operations) {
  std::string out;
  for (const auto& [method, path] : operations) out += "\n  " + method + " " + path;
  return out;
}

TEST(OpenApiDocument, DescribesExactlyTheRoutesTheTransportRegisters) {
  YAML::Node document = YAML::LoadFile(VIGIL_OPENAPI_YAML);
  Operations routes = registered_routes(), described = document_operations(document);
  Operations undocumented, unserved;
  for (const auto& r : routes)
    if (!described.count(r)) undocumented.insert(r);
  for (const auto& d : described)
    if (!routes.count(d)) unserved.insert(d);
  EXPECT_TRUE(undocumented.empty()) << "registered, not in openapi.yaml:" << listed(undocumented);
  EXPECT_TRUE(unserved.empty()) << "in openapi.yaml, not registered:" << listed(unserved);
  EXPECT_GE(routes.size(), 20u) << "the route table was not built";
}

TEST(OpenApiDocument, EveryOperationAnswersItsErrorsAndRefsExistingSchemas) {
  YAML::Node document = YAML::LoadFile(VIGIL_OPENAPI_YAML);
  EXPECT_EQ(document["openapi"].as<std::string>(), "3.1.0");
  for (const auto& path : document["paths"])
    for (const auto& operation : path.second) {
      std::string where = operation.first.as<std::string>() + " " + path.first.as<std::string>();
      bool has_error = false;
      for (const auto& response : operation.second["responses"])
        has_error = has_error || response.first.as<std::string>()[0] >= '4';
      EXPECT_TRUE(has_error) << where << " lists no error answer";
    }
  std::set<std::string> refs;
  file_refs(document, refs);
  EXPECT_GE(refs.size(), 20u);
  std::string dir = std::string(VIGIL_OPENAPI_YAML).substr(0, std::string(VIGIL_OPENAPI_YAML).rfind('/'));
  for (const std::string& ref : refs) EXPECT_TRUE(std::ifstream(dir + "/" + ref.substr(2)).good()) << ref;
}

TEST(OpenApiDocument, TheServedDocumentIsTheFileOfThisBuild) {
  std::ifstream file(VIGIL_OPENAPI_YAML);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, vigil::http::kOpenApiYaml);
}

}  // namespace

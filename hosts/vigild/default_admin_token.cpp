#include "hosts/vigild/default_admin_token.hpp"

#include <cstdlib>

#include "core/support/log.hpp"
#include "hosts/vigild/secret_file.hpp"

namespace vigil::host {

bool admin_token_configured(const Config& config) {
  const char* env = std::getenv("VIGIL_ADMIN_TOKEN");
  return config.secrets.admin_token_file || (env && *env);
}

std::optional<DefaultAdminToken> use_default_admin_token(Config& config, const std::filesystem::path& data_dir) {
  if (admin_token_configured(config)) return std::nullopt;
  ensure_data_dir(data_dir);
  DefaultAdminToken token{std::filesystem::absolute(data_dir / "admin.token")};
  token.created = create_secret_file(token.file, "admin token");
  config.secrets.admin_token_file = token.file;
  return token;
}

void announce(const DefaultAdminToken& token) {
  core::log(token.created ? core::LogLevel::warn : core::LogLevel::info, "vigild",
            std::string(token.created ? "created the admin token " : "admin token from ") + token.file.string() +
                " (no VIGIL_ADMIN_TOKEN or secrets.admin_token_file): log in to the console with it");
}

}  // namespace vigil::host

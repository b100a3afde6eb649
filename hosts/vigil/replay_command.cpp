#include "hosts/vigil/commands.hpp"
namespace vigil::cli {
int replay_command(int, char**) { return 1; }
}

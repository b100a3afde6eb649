#!/usr/bin/env bash
# Usage: build_example.sh BUILD_DIR SOURCE_DIR
# An integrator's path: install the SDK, build a plugin out of tree against
# it, and load it in the host.
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --component sdk --prefix "$work/sdk" >/dev/null
version_file=$(find "$work/sdk/lib" -path '*/cmake/VigilSDK/VigilSDKConfigVersion.cmake' | head -n 1)
test -n "$version_file"
# The guide installs with the SDK, and it and the example's README name the
# version that installs.
version=$(sed -n 's/^set(PACKAGE_VERSION "\(.*\)")$/\1/p' "$version_file")
test -n "$version"
guide="$work/sdk/share/doc/vigil-sdk/GUIDE.md"
test -f "$guide"
grep -q "\`VigilSDK\` $version" "$guide"
grep -q "version $version" "$source/examples/plugins/rule-timestop/README.md"
cmake -S "$source/examples/plugins/rule-timestop" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/sdk" >/dev/null
cmake --build "$work/build" >/dev/null
plugin=$(find "$work/build" -name 'rule-timestop.so' | head -n 1)
test -n "$plugin"
listing=$("$build/bin/vigil" plugins --config "$source/examples/configs/default.yaml" --plugin "$plugin")
echo "$listing"
# Built against this SDK, the plugin declares its ABI: the package's major.minor.
abi=${version%.*}
echo "$listing" | grep -E "^rule-timestop +1\.0\.0 +${abi//./\\.} +rule "

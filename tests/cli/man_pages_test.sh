#!/bin/sh
# The man pages the build made (packaging/CMakeLists.txt, help2man) exist
# and carry what --help says: every vigil command (with its own --help,
# options and exit codes) and every vigild option. The roff source is read
# with its escapes undone (\- is -, \fB..\fR is bold), so no man or groff is
# needed. Usage: man_pages_test.sh MAN_DIR
set -eu
man_dir=$1
render() { sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\e/\\/g' "$man_dir/$1.1"; }
vigil_page=$(render vigil)
vigild_page=$(render vigild)
status=0
for word in "vigil <command> --help" plugins replay cipher rekey migrate audit verify cluster feed-check --json --data-dir --version "exit codes" \
    "--batch N" "--key-file FILE" "--digits SYM=N" "1 the chain is broken"; do
  case $vigil_page in *"$word"*) ;; *) echo "vigil.1 lacks '$word'"; status=1 ;; esac
done
for word in --config --plugin --listen --data-dir --admin-token-file --master-key-file --log-level --version "exit codes"; do
  case $vigild_page in *"$word"*) ;; *) echo "vigild.1 lacks '$word'"; status=1 ;; esac
done
exit $status

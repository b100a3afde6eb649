#!/bin/sh
# Writes a help2man include file with a COMMANDS section: each vigil
# command's own --help, verbatim, so that vigil(1) holds every option and
# exit code, not only the command list. Usage: man_commands.sh VIGIL OUT
set -eu
vigil=$1
out=$2
{
  echo "[COMMANDS]"
  for command in plugins replay feed-check cipher rekey migrate audit cluster; do
    echo ".SS \"vigil $command\""
    echo ".nf"
    "$vigil" "$command" --help | sed 's/\\/\\e/g'
    echo ".fi"
  done
} >"$out"

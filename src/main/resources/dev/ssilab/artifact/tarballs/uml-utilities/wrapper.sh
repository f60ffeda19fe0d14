#!/bin/sh
# %%TOOL%% from ssilab's UML utilities: runs Debian's %%TOOL%% (package uml-utilities).
# ssilab's own clusters do not need it; it is here for poking at UML nodes by hand.
real=/usr/bin/%%TOOL%%
if [ ! -x "$real" ]; then
  echo "%%TOOL%%: Debian's uml-utilities is not installed; install it with 'apt-get install uml-utilities' (ssilab's clusters do not need it: %%WHY%%)" >&2
  exit 1
fi
exec "$real" "$@"

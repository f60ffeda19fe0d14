#!/bin/sh
# %%COMMAND%% from the HOWTO "Creating SSI clusters using UML", installed by ssi-uml-%%VERSION%%.
# It runs 'ssilab %%SUBCOMMAND%%' from the ssilab installation found in this order:
# $SSILAB_HOME, the installation that built this package (%%SSILAB_HOME%%), ssilab on the PATH.
built_home='%%SSILAB_HOME%%'
if [ -n "$SSILAB_HOME" ] && [ -x "$SSILAB_HOME/bin/ssilab" ]; then
  ssilab="$SSILAB_HOME/bin/ssilab"
elif [ -x "$built_home/bin/ssilab" ]; then
  ssilab="$built_home/bin/ssilab"
elif command -v ssilab >/dev/null 2>&1; then
  ssilab=ssilab
else
  echo "%%COMMAND%%: cannot find ssilab (looked in \$SSILAB_HOME, $built_home and the PATH): set SSILAB_HOME to the folder where ssilab is installed" >&2
  exit 1
fi
SSILAB_PROG=%%COMMAND%% exec "$ssilab" %%SUBCOMMAND%% "$@"

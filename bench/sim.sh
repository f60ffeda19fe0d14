#!/bin/sh
# Prints the simulator's figures: boot time, exec latency, memory per process, throughput.
# Usage: bench/sim.sh   (from the repository root; compiles the classes first)
set -eu
cd "$(dirname "$0")/.."
mvn -q -B test-compile
exec java -Xmx256m -cp target/classes:target/test-classes dev.ssilab.cluster.sim.SimBench

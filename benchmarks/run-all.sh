#!/bin/sh
# Runs every benchmark of BENCHMARKS.md with the documented settings, one after the other (about 25 minutes
# on 2 cores), writing each table's raw output to benchmarks/target/results/. Build first, from the root:
#   mvn -q -DskipTests package
set -eu
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/results
mkdir -p "$out"
{ nproc; lscpu | grep 'Model name'; free -g | head -2; java -version 2>&1; uptime; } > "$out/machine.txt"

java -jar "$jar" RouteCost -prof gc -f 2 -wi 3 -i 5 -t 1 -rf json -rff "$out/route-cost-t1.json" > "$out/route-cost-t1.txt"
java -jar "$jar" RouteCost -prof gc -f 4 -wi 3 -i 5 -t 2 -rf json -rff "$out/route-cost-t2.json" > "$out/route-cost-t2.txt"
java -jar "$jar" SnapshotRebuild -prof gc -f 2 -wi 3 -i 5 -t 1 -rf json -rff "$out/snapshot-rebuild.json" > "$out/snapshot-rebuild.txt"
java -jar "$jar" CoordinationCost -prof gc -prof org.dialbalance.benchmarks.ProcessCpuProfiler -f 2 -wi 3 -i 5 \
    -rf json -rff "$out/coordination-cost.json" > "$out/coordination-cost.txt"
java -Djdk.attach.allowAttachSelf=true -cp "$jar" org.dialbalance.benchmarks.memory.InFlightMemory > "$out/in-flight-memory.md"
java -cp "$jar" org.dialbalance.benchmarks.e2e.EndToEnd > "$out/end-to-end.md"
java -cp "$jar" org.dialbalance.benchmarks.failover.Failover > "$out/failover.md"
uptime >> "$out/machine.txt"

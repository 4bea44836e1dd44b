#!/bin/sh
# /usr/local/bin/dbguard in the tool image: runs dbguard.jar with the AppCDS archive the image build
# made (dbguard-cds.sh); -Xshare:auto runs without it if the archive does not match the JVM.
# The rollout gate (`dbguard gate`, at every pod start) also runs with the client compiler only
# (-XX:TieredStopAtLevel=1) and one compiler thread: it is done before the optimising compiler
# would pay off, and compiling would take CPU from the start-up; with the serial collector and no
# perf-data file it starts no GC worker threads and maps no /tmp file it never reads
# (docs/benchmarks.md, "Rollout gate").
if [ "${1:-}" = gate ]; then
  exec java -XX:SharedArchiveFile=/app/dbguard.jsa -Xshare:auto -XX:TieredStopAtLevel=1 \
    -XX:CICompilerCount=1 -XX:+UseSerialGC -XX:-UsePerfData -jar /app/dbguard.jar "$@"
fi
exec java -XX:SharedArchiveFile=/app/dbguard.jsa -Xshare:auto -jar /app/dbguard.jar "$@"

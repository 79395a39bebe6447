#!/usr/bin/env python3
"""Runs a command (its output dropped) and prints `wall_s cpu_s`: wall clock, and CPU seconds (user +
system) of the command and every process it started. Used by `npm run bench` so that the Python
script and the Node commands are timed the same way. Standard library only."""
import resource
import subprocess
import sys
import time

started = time.perf_counter()
result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
if result.returncode != 0:
    sys.stderr.write(result.stderr.decode(errors="replace"))
    sys.exit(result.returncode)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {usage.ru_utime + usage.ru_stime:.3f}")

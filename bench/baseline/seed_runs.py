#!/usr/bin/env python3
"""The seed's approach, as the yardstick of `npm run bench`: the simplest parser of
Attune System_*.log files. The csv module reads each line, one regular expression per message
kind classifies it, and the current state (open run, session) is kept in a few variables; runs are
printed as they close. No store, no machine, no time zones. Python 3.11 standard library only.

Usage: seed_runs.py FILE_OR_FOLDER...   (prints one tab-separated line per run, then a summary
line on stderr: `lines N runs N cpu_s S`)
"""
import csv
import os
import re
import sys
import time

STARTING = re.compile(r"^Event:Starting_(.+)$")
DONE = re.compile(r"^Event:(.+?)_Done~([+-]?\d+|[A-Za-z_]+)?")
STOP_SAMPLE = re.compile(r"^Event:Acquisition StopSampleAcquisition")
STOP_ACTION = re.compile(r"Entered InstrumentFunctionManager::StopAction\(\) during -- (.*?) -- STOPPING")
STEP = re.compile(r"^Instrument function (.+) executing line (\d+)")
USER_ACTION = re.compile(r"User Action required to continue")
USER_DONE = re.compile(r"Necessary User Actions Completed")
WELL = re.compile(r"^Acquisition initiated(?: on well ([A-Za-z]{1,2}\d{1,3}))?")
BUBBLE = re.compile(r"^Data:New Bubble Detected")
LARGE_BUBBLE = re.compile(r"BUBBLE SIZE GREATER THAN THRESHOLD")
FILE_SAVED = re.compile(r"^File Saved signal received")
FACT = re.compile(r"^Data:([A-Za-z0-9_]+)~(.*)$")
LOGIN = re.compile(r"^\s*(login|logout)\s*$")


def log_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.startswith("System_") and name.endswith(".log"):
                    yield os.path.join(path, name)
        else:
            yield path


class State:
    def __init__(self, out):
        self.out = out
        self.run = None  # [procedure, source, started, user, well, steps, files]
        self.user = None
        self.runs = 0
        self.facts = {}
        self.bubbles = 0

    def open(self, procedure, source, at):
        self.run = [procedure, source, at, self.user, None, 0, 0]

    def close(self, at, outcome, code=""):
        run = self.run
        if run is None:
            return
        self.out.write(f"{run[0]}\t{run[1]}\t{run[2]}\t{at}\t{outcome}\t{code}\t{run[3] or ''}\t{run[4] or ''}\t{run[5]}\t{run[6]}\n")
        self.runs += 1
        self.run = None


def read_file(path, state):
    lines = 0
    last_at = None
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        for row in csv.reader(handle):
            lines += 1
            if len(row) < 5:
                continue
            at, user, message = row[0], row[2], ",".join(row[4:-1]) if len(row) > 6 else row[4]
            last_at = at
            m = STEP.match(message)
            if m:
                if m.group(1) == "Instrument Idle":
                    state.close(at, "unconfirmed")
                elif state.run is None:
                    state.open(m.group(1), "inferred", at)
                    state.run[5] += 1
                else:
                    state.run[5] += 1
                continue
            m = STARTING.match(message)
            if m:
                state.close(at, "unconfirmed")
                state.open(m.group(1).strip(), "logged", at)
                continue
            m = DONE.match(message)
            if m:
                code = m.group(2) or ""
                state.close(at, "completed" if code in ("0", "") else "failed", code)
                continue
            if STOP_SAMPLE.match(message) or STOP_ACTION.search(message):
                state.close(at, "cancelled")
                continue
            if FILE_SAVED.match(message):
                if state.run is not None:
                    state.run[6] += 1
                continue
            m = WELL.match(message)
            if m:
                if state.run is not None:
                    state.run[4] = m.group(1)
                continue
            if BUBBLE.match(message) or LARGE_BUBBLE.search(message):
                state.bubbles += 1
                continue
            m = FACT.match(message)
            if m:
                state.facts[m.group(1)] = m.group(2).strip()
                continue
            if USER_ACTION.search(message) or USER_DONE.search(message):
                continue
            m = LOGIN.match(message)
            if m:
                state.user = user if m.group(1) == "login" else None
    state.close(last_at, "interrupted")
    return lines


def main(argv):
    started = time.process_time()
    out = sys.stdout
    state = State(out)
    lines = 0
    for path in log_files(argv[1:]):
        lines += read_file(path, state)
    out.flush()
    cpu = time.process_time() - started
    print(f"lines {lines} runs {state.runs} cpu_s {cpu:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)

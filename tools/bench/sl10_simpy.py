#!/usr/bin/env python3
"""The SimPy reference for the SL10-B5 benchmark: the same model as sl10_handloop.cpp, written the
way a SimPy user would, so takt's speed can be put beside the tool many planners start from.

SL10-B5: ten single-server stations in series, a FIFO buffer of 5 places between neighbours,
blocking after service, unlimited supply and sink, zero transfer times, start empty, stop when the
N-th part leaves station 10. Variants: EXP (exponential processing, mean 1 min), DET (constant
1 min; ends at exactly N + 9 min), FAIL (EXP plus busy-time failures: time to failure exponential
mean 100 min, repair exponential mean 10 min, the interrupted part resumes).

Needs SimPy 3 or later (`import simpy`); on Debian that is python3-simpy3, since python3-simpy is
SimPy 2 with another API. Time is in minutes. SimPy needs about 40 microseconds of wall time per
part here, so the default 1,000,000 parts takes about a minute; --parts 20000 takes a second.

Usage: sl10_simpy.py [--variant EXP|DET|FAIL] [--parts N] [--seed S] [--repeat R]
"""

import argparse
import random
import sys
import time

try:
    import simpy
except ImportError:
    sys.exit("sl10_simpy.py: error: SimPy 3 or later is not installed "
             "(Debian: apt-get install python3-simpy3)")

STATIONS = 10
BUFFER_PLACES = 5
MEAN_PROCESS_MIN = 1.0
MEAN_TIME_TO_FAILURE_MIN = 100.0
MEAN_REPAIR_MIN = 10.0


class Sink:
    """Counts departures from the last station and fires `done` at the N-th."""

    def __init__(self, env, parts):
        self.parts = parts
        self.departed = 0
        self.done = env.event()

    def take(self):
        self.departed += 1
        if self.departed == self.parts:
            self.done.succeed()


class Station:
    """A single server: take a part, work on it (with failures in FAIL), then hold it until the
    downstream buffer accepts it. Blocking after service falls out of `yield outbox.put(part)`."""

    def __init__(self, env, index, variant, seed, inbox, outbox, sink):
        self.env = env
        self.inbox = inbox    # None for station 1: the supply is unlimited
        self.outbox = outbox  # None for station 10: parts go to the sink
        self.sink = sink
        self.is_deterministic = variant == "DET"
        self.has_failures = variant == "FAIL"
        # One generator per station and random element, seeded seed + index as in the hand loop
        # (0-9 processing, 10-19 time to failure, 20-29 repair). Python's Mersenne Twister is not
        # Boost's, so individual runs differ from the hand loop; the statistics agree.
        self.process_rng = random.Random(seed + index)
        self.failure_rng = random.Random(seed + STATIONS + index)
        self.repair_rng = random.Random(seed + 2 * STATIONS + index)
        self.to_failure = self.draw_time_to_failure() if self.has_failures else 0.0
        env.process(self.run())

    def draw_process(self):
        if self.is_deterministic:
            return MEAN_PROCESS_MIN
        return self.process_rng.expovariate(1.0 / MEAN_PROCESS_MIN)

    def draw_time_to_failure(self):
        return self.failure_rng.expovariate(1.0 / MEAN_TIME_TO_FAILURE_MIN)

    def draw_repair(self):
        return self.repair_rng.expovariate(1.0 / MEAN_REPAIR_MIN)

    def run(self):
        part = 0
        while True:
            if self.inbox is None:
                part += 1
            else:
                part = yield self.inbox.get()
            yield from self.work(self.draw_process())
            if self.outbox is None:
                self.sink.take()
            else:
                # Blocks while the buffer is full; an idle downstream station is already waiting
                # in get(), so the part goes straight to it through the empty store.
                yield self.outbox.put(part)

    def work(self, minutes):
        if not self.has_failures:
            yield self.env.timeout(minutes)
            return
        # Failures count busy time only. SimPy's machine-shop pattern (a breakdown process that
        # interrupts the worker) counts calendar time, so instead the station carries its
        # remaining time to failure and waits for whichever comes first: the end of the work or
        # the failure. Nothing else can interrupt the work, so the two are equivalent.
        while self.to_failure < minutes:
            yield self.env.timeout(self.to_failure)
            minutes -= self.to_failure
            yield self.env.timeout(self.draw_repair())
            self.to_failure = self.draw_time_to_failure()
        yield self.env.timeout(minutes)
        self.to_failure -= minutes


def run_line(variant, parts, seed):
    """Runs one replication; returns the simulated minute at which the N-th part left."""
    env = simpy.Environment()
    sink = Sink(env, parts)
    buffers = [simpy.Store(env, capacity=BUFFER_PLACES) for _ in range(STATIONS - 1)]
    for index in range(STATIONS):
        inbox = buffers[index - 1] if index > 0 else None
        outbox = buffers[index] if index < STATIONS - 1 else None
        Station(env, index, variant, seed, inbox, outbox, sink)
    env.run(until=sink.done)
    return env.now


def positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def non_negative_int(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def main():
    parser = argparse.ArgumentParser(description="SL10-B5 benchmark in SimPy.")
    parser.add_argument("--variant", choices=["EXP", "DET", "FAIL"], default="EXP")
    parser.add_argument("--parts", type=positive_int, default=1_000_000)
    parser.add_argument("--seed", type=non_negative_int, default=12345)
    parser.add_argument("--repeat", type=positive_int, default=1)
    args = parser.parse_args()  # exits 2 on bad input, as the hand loop does

    # Every repeat uses the same seed: the repeats time identical work, so their spread is noise.
    for _ in range(args.repeat):
        start = time.perf_counter()
        sim_minutes = run_line(args.variant, args.parts, args.seed)
        wall_s = time.perf_counter() - start
        print(f"simpy variant={args.variant} parts={args.parts} sim_minutes={sim_minutes:.3f} "
              f"throughput={args.parts / sim_minutes:.4f} wall_s={wall_s:.3f} "
              f"parts_per_s={args.parts / wall_s:.0f}", flush=True)


if __name__ == "__main__":
    main()

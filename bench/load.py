"""Load: many concurrent users asking the running app over HTTP (gradio_client).

Usage: python bench/load.py [--users 20] [--questions 25] [--soak-seconds 0]

Starts the app on loopback (127.0.0.1, a free port) over the bundled release, then
`users` threads each ask `questions` questions (English and Japanese, in turn) and
record errors and latency. With --soak-seconds, the same users keep asking for that
long while the server's resident memory is sampled every 10 s. Prints errors, p50,
p95, throughput, and the RSS samples. All traffic stays on this machine and every
loop is bounded.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import qa  # noqa: E402

from app_server import RunningApp  # noqa: E402

QUESTIONS = ["When does Mission 2 land?", "ミッション2の月面着陸はいつですか？", "Who is the founder and CEO of ispace?",
             "高砂熱学工業の主な事業は何ですか？", "What is the name of the Mission 2 lander?", "ミッション3はいつ実行される予定ですか？",
             "How much money is the MOU worth?", "フランスの首都はどこですか？"]


def rss_megabytes(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=25)
    parser.add_argument("--soak-seconds", type=float, default=0.0)
    arguments = parser.parse_args()
    from gradio_client import Client

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        corpus = scratch / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        qa.build_index([corpus], scratch / "index", settings=qa.Settings())
        server = RunningApp(scratch / "index", corpus)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + arguments.soak_seconds

        def user(number: int) -> None:
            client = Client(server.url, verbose=False)
            asked = 0
            while asked < arguments.questions or time.monotonic() < deadline:
                question = QUESTIONS[(number + asked) % len(QUESTIONS)]
                started = time.perf_counter()
                try:
                    text, _ = client.predict(question, api_name="/ask")
                    if not text:
                        raise RuntimeError("empty reply")
                    with lock:
                        latencies.append(time.perf_counter() - started)
                except Exception as error:  # every failure is counted, none stops the run
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                asked += 1

        samples = []
        try:
            started = time.monotonic()
            threads = [threading.Thread(target=user, args=(number,)) for number in range(arguments.users)]
            for thread in threads:
                thread.start()
            while any(thread.is_alive() for thread in threads):
                samples.append(round(rss_megabytes(server.process.pid), 1))
                time.sleep(10 if arguments.soak_seconds else 1)
            elapsed = time.monotonic() - started
        finally:
            server.stop()
    latencies.sort()
    total = len(latencies) + len(errors)
    print(f"users {arguments.users}, requests {total}, errors {len(errors)}, {elapsed:.1f} s, "
          f"throughput {total / elapsed:.1f} requests/s")
    if latencies:
        print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
              f"p95 {latencies[int(0.95 * (len(latencies) - 1))] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    print(f"server RSS samples (MB): {samples}")
    if len(samples) >= 4:
        half = len(samples) // 2
        print(f"server RSS: {samples[0]} MB idle, {samples[1]} MB at the first sample under load, "
              f"{samples[half]} MB half-way, {samples[-1]} MB at the end "
              f"(second half: {samples[-1] - samples[half]:+.1f} MB)")
    for error in sorted(set(errors))[:5]:
        print("error:", error)


if __name__ == "__main__":
    main()

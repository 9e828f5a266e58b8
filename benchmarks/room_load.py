"""30 phones answer a group room at once, through the served join listener (not a timed test).

Starts ``within rooms --lan 127.0.0.2`` (a loopback address) with a throwaway data folder,
opens a room, has N simulated participants (default 30) each fetch the join page, poll the
question and post one answer at the same moment, over bounded concurrent HTTP on loopback,
each from its own loopback source address (127.0.1.x), as phones on Wi-Fi would be.
Reports how many answers arrived, how long until the projector's read of the room showed
them all, and the listener's memory.

    .venv/bin/python benchmarks/room_load.py [--participants 30]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import psutil
from support.processes import stop
from support.rooms import LAN, free_port, wait_for, within


def participant(port: int, code: str, index: int, start: threading.Event) -> tuple[bool, float]:
    source = (f"127.0.1.{index + 1}", 0)
    connection = http.client.HTTPConnection(LAN, port, timeout=30, source_address=source)
    start.wait()
    began = time.monotonic()
    connection.request("GET", f"/r/{code}")
    connection.getresponse().read()
    connection.request("GET", f"/api/rooms/{code}")
    room = json.loads(connection.getresponse().read())
    body = json.dumps({"question_no": room["question_no"], "value": f"hope {index}"})
    connection.request(
        "POST", f"/api/rooms/{code}/answers", body, {"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status == 200, time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    count = min(max(parser.parse_args().participants, 1), 200)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        os.environ["WITHIN_DATA_DIR"] = str(data)
        os.environ.pop("WITHIN_DATABASE_URL", None)
        from widgets.rooms.model import Rooms

        rooms = Rooms()
        room = rooms.ask(rooms.open("en"), "helps")
        port = free_port(LAN)
        log = Path(folder) / "rooms.log"
        process = within(["rooms", "--lan", LAN, "--port", str(port)], data, log)
        try:
            wait_for(f"http://{LAN}:{port}/", process, log)
            listener = psutil.Process(process.pid)
            before = listener.memory_info().rss
            start = threading.Event()
            with ThreadPoolExecutor(max_workers=count) as pool:
                futures = [
                    pool.submit(participant, port, room.join_code, i, start) for i in range(count)
                ]
                sent_at = time.monotonic()
                start.set()
                # The projector's side: read the room as its page does (every 0.1 s here).
                seen_at = None
                while time.monotonic() - sent_at < 60:
                    if rooms.picture(room).count >= count:
                        seen_at = time.monotonic()
                        break
                    time.sleep(0.1)
                results = [future.result() for future in futures]
            after = listener.memory_info().rss
        finally:
            stop(process)
    arrived = sum(ok for ok, _ in results)
    slowest = max(seconds for _, seconds in results)
    print(f"participants:              {count}")
    print(f"answers arrived:           {arrived} of {count}")
    print(f"slowest phone (page+poll+answer): {slowest:.2f} s")
    if seen_at is not None:
        print(
            f"projector saw them all after {seen_at - sent_at:.2f} s (plus its 1.5 s poll interval at most)"
        )
    else:
        print("projector did not see them all within 60 s")
    print(
        f"listener memory:           {before / 2**20:.1f} MiB before, {after / 2**20:.1f} MiB after"
    )
    return 0 if arrived == count and seen_at is not None else 1


if __name__ == "__main__":
    sys.exit(main())

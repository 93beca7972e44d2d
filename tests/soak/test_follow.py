#!/usr/bin/env python3
"""Following the record while it grows: docs/http-api.md says "to follow the record, poll with
`since` set to the `next` of the last answer". Three followers do exactly that, as fast as they
can, in pages of at most 7 events (so pages end before the head), while one client appends batches
of 5 events for SECONDS (default 8). Every follower must see every record exactly once, in seq
order, each as the store holds it (the store's own store_created first, then the events, each
with the recorded_by the server wrote); every answer's `next` must be the last event it lists (or
`since` when it lists none), never past its head, and `more` must say whether the head is past it.

    python3 tests/soak/test_follow.py PACTUM [SECONDS]

The load soak (bench/soak) found the bug this guards against: GET /v1/events read the events and
then, in a second statement, the head; an append committed between the two gave a head past the
last event listed, and a follower then skipped the events in between.
"""
import json
import os
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
from serverlib import *  # noqa: E402,F401,F403

SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
tokens = write_tokens()
srv = Server("--tokens", tokens, name="follow")
stop = threading.Event()      # the appender stops
finished = threading.Event()  # the appender has stopped: the followers poll once more and stop
appended = []
append_errors = []


def appender():
    c = srv.conn(30)
    day = 0
    try:
        while not stop.is_set():
            date = "2026-%02d-%02d" % (1 + (day // 28) % 12, 1 + day % 28) if day < 336 else "2026-12-28"
            batch = [purchase(date, len(appended) + i + 1) for i in range(5)]
            c.request("POST", "/v1/events", json.dumps(batch), headers=bearer("microsoft"))
            r = c.getresponse()
            body = r.read()
            if r.status != 200:
                append_errors.append("%d %s" % (r.status, body[:200]))
                return
            appended.extend(batch)
            day += 1
    finally:
        c.close()


class Follower(threading.Thread):
    def __init__(self):
        super().__init__()
        self.seen, self.problems, self.polls = [], [], 0

    def run(self):
        c = srv.conn(30)
        since = 0
        while True:
            done = finished.is_set()  # one last poll after the appender stopped
            c.request("GET", "/v1/events?since=%d&limit=7" % since)
            r = c.getresponse()
            body = r.read()
            self.polls += 1
            try:
                j = json.loads(body)
                seqs = [e["seq"] for e in j["events"]]
                head, nxt, more = j["head"]["seq"], j["next"], j["more"]
            except (ValueError, KeyError, TypeError):
                self.problems.append("poll since=%d: %d %s" % (since, r.status, body[:200]))
                break
            if (seqs != list(range(since + 1, since + 1 + len(seqs))) or nxt != (seqs[-1] if seqs else since)
                    or nxt > head or more != (nxt < head) or len(seqs) > 7):
                if len(self.problems) < 3:
                    self.problems.append("poll since=%d: listed seqs %s..%s (%d), next %d, more %s, head %d" % (
                        since, seqs[0] if seqs else None, seqs[-1] if seqs else None, len(seqs), nxt, more, head))
            self.seen.extend(e["event"] for e in j["events"])
            since = nxt
            if done and not more:
                break
        c.close()


fs = [Follower() for _ in range(3)]
a = threading.Thread(target=appender)
a.start()
for f in fs:
    f.start()
time.sleep(SECONDS)
stop.set()
a.join()
finished.set()
for f in fs:
    f.join()

check("the appender's batches were all recorded", not append_errors and len(appended) > 0, append_errors[:3])
stored = pactum_events(srv.db, own=True)  # every record, as the followers read them
check("the store holds its store_created, then every appended event, recorded by microsoft",
      stored[:1] and stored[0].get("type") == "store_created" and stored[1:] == [by("microsoft", e) for e in appended],
      "%d stored, %d appended" % (len(stored), len(appended)))
for i, f in enumerate(fs):
    check("follower %d (%d polls): every answer's next is the last event it lists, and more is right" % (i, f.polls), not f.problems,
          "\n".join(f.problems))
    check("follower %d: saw all %d records exactly once, in order, as stored" % (i, len(stored)), f.seen == stored,
          "saw %d records; the store holds %d" % (len(f.seen), len(stored)))
finish()

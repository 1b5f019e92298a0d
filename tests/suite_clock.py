"""The suite's travelled clock (tests/conftest.py) in a process the tests start: gunicorn, a provider.

A server on the real clock would disagree with the suite by however far the real day is from the
suite's (sessions idle for hours, tokens issued in the future). ``env()`` gives the offset to pass
down; ``start_in_this_process()`` travels the new process to the same ticking time.
"""

import os
import time

ENV = "SUITE_CLOCK_OFFSET"


def env() -> dict[str, str]:
    from time_machine import escape_hatch

    return {ENV: repr(time.time() - escape_hatch.time.time())}


def start_in_this_process() -> None:
    offset = os.environ.get(ENV)
    if offset:
        import time_machine

        time_machine.travel(time.time() + float(offset), tick=True).start()

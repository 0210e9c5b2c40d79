"""One Pelican build in a process of its own, reporting its peak memory.

Run by run.py as a subprocess, so that each build starts cold and its peak
memory is its own. Reports, as JSON: the in-process build time, the peak RSS of
this Python process (the build) and of its children (the Pagefind binary when
the search module indexes through Pagefind's Python API, which spawns it).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", help="a pelicanconf.py; none = Pelican's defaults")
    parser.add_argument("--overrides", default="{}", help="settings as a JSON object")
    parser.add_argument("--report", required=True, help="where to write the JSON report")
    parser.add_argument("--profile", help="write a cProfile dump of the build here")
    args = parser.parse_args()

    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(args.config, override=json.loads(args.overrides))
    started = time.perf_counter()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(Pelican(settings).run)
        profiler.dump_stats(args.profile)
    else:
        Pelican(settings).run()
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = {
        "seconds_in_process": seconds,
        # CPU of this process (Python: reading, rendering, writing) and of its children
        # (forked render workers, git, Pagefind): where a build's CPU goes.
        "cpu_self_seconds": own.ru_utime + own.ru_stime,
        "cpu_children_seconds": children.ru_utime + children.ru_stime,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_peak_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    Path(args.report).write_text(json.dumps(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

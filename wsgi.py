"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import gc

from oms import create_app

app = create_app()
# What is built so far (modules, the app, the models' metadata: some 250,000 objects) lives as long as the
# process. Out of the cyclic collector's sight, a full collection scans only what requests leave behind:
# it took about 110 ms every ten or so requests of a long page (the p95 of bench/scale.py), now a few ms.
gc.freeze()
# The youngest generation collected every 700 net allocations (the default) ran the collector 26 times
# for a page of 100 plan rows, a second generation twice; every 10,000: once. The page's CPU p95 at scale
# fell from about 51 ms to 38-46 ms; cyclic garbage waits a little longer (a few MB at most).
gc.set_threshold(10_000, 10, 10)

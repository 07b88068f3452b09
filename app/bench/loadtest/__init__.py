"""The load test: real page loads and Dash callbacks, recorded from a browser, replayed by many logged-in users
of every role (locust) against `pantau serve` on loopback. `python -m app.bench.loadtest` or `make loadtest`."""

#!/usr/bin/env python3
"""Times each tile twice, in the same moment: the app over HTTP and PostgreSQL alone through psql.

Used by tiles.sh. The machine is shared and its speed drifts by tens of percent within a minute; timing
all app tiles first and all psql tiles after let that drift into the ratio. Here one keep-alive HTTP
connection and one psql session take turns tile by tile, and which side goes first alternates from
tile to tile and round to round, so a slow moment falls on both.

stdin: lines "PATH SQL_FILE". Output: one line "APP_MS SQL_MS EMPTY_MS" per tile and round, in input
order. psql's own \\timing gives the SQL side; the app side is the wall time from sending the request
to reading the last byte of the tile. EMPTY_MS is the floor under the app side: GET /health/live (no
auth, no database) on the same connection, right after a psql `select 1` so that the app has been idle
for a psql turn as it was before its tile. It is not subtracted from anything; it says how much of a
small tile's time is the HTTP request itself at that moment.
"""
import argparse
import http.client
import subprocess
import sys
import time

MARK = "__tile_timer_done__"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True, help="the app's port")
    parser.add_argument("--token", required=True, help="bearer token of the benchmark user")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("psql", nargs=argparse.REMAINDER, help="-- then the psql command line")
    args = parser.parse_args()
    psql_command = [a for a in args.psql if a != "--"]
    tiles = [line.split() for line in sys.stdin if line.strip()]
    if not tiles:
        sys.exit("tile-timer: no tiles on stdin")

    psql = subprocess.Popen(psql_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    app = http.client.HTTPConnection(args.host, args.port)
    headers = {"Authorization": f"Bearer {args.token}"}

    def timed_get(path, request_headers):
        started = time.perf_counter()
        app.request("GET", path, headers=request_headers)
        response = app.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status not in (200, 204):
            sys.exit(f"tile-timer: {path} answered {response.status}")
        return elapsed

    def run_psql(command):
        """Runs one psql command and returns the \\timing it printed, or None."""
        psql.stdin.write(f"{command}\n\\echo {MARK}\n")
        psql.stdin.flush()
        timing = None
        for line in psql.stdout:
            line = line.strip()
            if line == MARK:
                break
            if line.startswith("Time:"):
                timing = float(line.split()[1])
        return timing

    def time_app(path):
        return timed_get(path, headers)

    def time_sql(sql_file):
        timing = run_psql(f"\\i {sql_file}")
        if timing is None:
            sys.exit(f"tile-timer: psql printed no timing for {sql_file}")
        return timing

    def time_empty():
        run_psql("select 1;")
        return timed_get("/health/live", {})

    psql.stdin.write("\\timing on\n")
    # Untimed, once each: a new backend's first tile pays ~100 ms of catalog and PostGIS start-up that
    # the app's pooled connections paid long ago, and the first request warms the HTTP connection.
    time_sql(tiles[0][1])
    time_app(tiles[0][0])

    for round_number in range(args.rounds):
        for index, (path, sql_file) in enumerate(tiles):
            if (index + round_number) % 2 == 0:
                app_ms = time_app(path)
                sql_ms = time_sql(sql_file)
            else:
                sql_ms = time_sql(sql_file)
                app_ms = time_app(path)
            empty_ms = time_empty()
            print(f"{app_ms:.3f} {sql_ms:.3f} {empty_ms:.3f}", flush=True)

    psql.stdin.close()
    psql.wait()
    app.close()


if __name__ == "__main__":
    main()

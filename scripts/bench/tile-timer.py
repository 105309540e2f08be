#!/usr/bin/env python3
"""Times each tile twice, in the same moment: the app over HTTP and PostgreSQL alone through psql.

Used by tiles.sh. The machine is shared and its speed drifts by tens of percent within a minute; timing
all app tiles first and all psql tiles after let that drift into the ratio. So one keep-alive HTTP
connection and one psql session take turns, and which side goes first alternates, so that a slow
moment falls on both. Two ways of taking turns, every round:

  single  tile by tile: one tile from the app, the same statement in psql. Each side has been idle for
          the other's turn, so every request pays for waking the app's threads again.
  view    zoom by zoom: the zoom's tiles (the 3 x 3 of tiles.sh) one after another from the app, then
          the same statements one after another in psql, or the other way round. That is how the map
          asks: opening or panning a view requests all of its tiles at once.

stdin: lines "PATH SQL_FILE". Output, per tile and round, in input order: "single APP_MS SQL_MS EMPTY_MS"
and "view APP_MS SQL_MS". psql's own \\timing gives the SQL side; the app side is the wall time from
sending the request to reading the last byte of the tile. EMPTY_MS is the floor under a single tile's
app time: GET /health/live (no auth, no database) on the same connection, right after a psql `select 1`,
so that the app has been idle for a psql turn as it was before its tile. It is not subtracted from
anything; it says how much of a small tile's time is the HTTP request itself at that moment.

The HTTP client is a few lines over a socket (one request, Content-Length or chunked body), as lean as
libpq is on psql's side: http.client added 0.05-0.15 ms to every request here, its own time and not
the app's.
"""
import argparse
import socket
import subprocess
import sys
import time

MARK = "__tile_timer_done__"


class KeepAliveClient:
    """HTTP/1.1 GETs over one connection; the app answers with Content-Length or chunked bodies."""

    def __init__(self, host, port):
        self.host = host
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            sys.exit("tile-timer: the app closed the connection")
        self.buffer += data

    def _take_line(self):
        while b"\r\n" not in self.buffer:
            self._fill()
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def _take(self, count):
        while len(self.buffer) < count:
            self._fill()
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def get(self, path, headers):
        """Sends one GET and reads the whole response; returns (status, milliseconds)."""
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        started = time.perf_counter()
        self.sock.sendall(request.encode("ascii"))
        status = int(self._take_line().split(b" ", 2)[1])
        length, chunked = 0, False
        while line := self._take_line():
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            while size := int(self._take_line().split(b";")[0], 16):
                self._take(size + 2)
            while self._take_line():  # trailers, then the empty line
                pass
        else:
            self._take(length)
        return status, (time.perf_counter() - started) * 1000


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
    app = KeepAliveClient(args.host, args.port)
    headers = {"Authorization": f"Bearer {args.token}"}

    def timed_get(path, request_headers):
        status, elapsed = app.get(path, request_headers)
        if status not in (200, 204):
            sys.exit(f"tile-timer: {path} answered {status}")
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

    # /api/map/tiles/LAYER/Z/X/Y.mvt: the views are the runs of tiles of one zoom, in input order.
    views = []
    for index, (path, _) in enumerate(tiles):
        zoom = path.split("/")[-3]
        if views and views[-1][0] == zoom:
            views[-1][1].append(index)
        else:
            views.append((zoom, [index]))

    psql.stdin.write("\\timing on\n")
    # Untimed, once each: a new backend's first tile pays ~100 ms of catalog and PostGIS start-up that
    # the app's pooled connections paid long ago, and the first request warms the HTTP connection.
    time_sql(tiles[0][1])
    time_app(tiles[0][0])

    for round_number in range(args.rounds):
        single = []
        for index, (path, sql_file) in enumerate(tiles):
            if (index + round_number) % 2 == 0:
                app_ms = time_app(path)
                sql_ms = time_sql(sql_file)
            else:
                sql_ms = time_sql(sql_file)
                app_ms = time_app(path)
            single.append((app_ms, sql_ms, time_empty()))
        view = [None] * len(tiles)
        for view_number, (_, indexes) in enumerate(views):
            if (view_number + round_number) % 2 == 0:
                app_times = [time_app(tiles[i][0]) for i in indexes]
                sql_times = [time_sql(tiles[i][1]) for i in indexes]
            else:
                sql_times = [time_sql(tiles[i][1]) for i in indexes]
                app_times = [time_app(tiles[i][0]) for i in indexes]
            for i, app_ms, sql_ms in zip(indexes, app_times, sql_times):
                view[i] = (app_ms, sql_ms)
        for (app_ms, sql_ms, empty_ms), (view_app_ms, view_sql_ms) in zip(single, view):
            print(f"single {app_ms:.3f} {sql_ms:.3f} {empty_ms:.3f}", flush=True)
            print(f"view {view_app_ms:.3f} {view_sql_ms:.3f}", flush=True)

    psql.stdin.close()
    psql.wait()
    app.sock.close()


if __name__ == "__main__":
    main()

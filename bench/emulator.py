"""Throughput and latency of the emulator, against a bare endpoint on the same server stack.

Each scenario runs a create-then-get-job cycle (CreateBackendAuth, then GetBackendJob) with real
boto3 clients for a fixed time, from 1 and from 8 client processes (separate processes, so that
the 8-client figure measures the server and not one client interpreter's GIL). The ceiling is the
same two calls against a bare ASGI app that answers `{}` to everything, served by uvicorn on the
emulator's own listening socket. Both servers run as separate processes too. The apps the
creates need are written straight into the emulator's SQLite file before it starts.

Also checks for a Nagle stall: a keep-alive connection sending a POST whose headers and body go
out in separate writes; with TCP_NODELAY off on either side, each request waits ~40 ms.

    python bench/emulator.py [--seconds 5] [--clients 8] [--quick]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

BARE_SERVER = """
import uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b"{}"})
from amplify_auth_widgets.emulator import listening_socket
sock = listening_socket("127.0.0.1", 0)  # the emulator's own listening socket: TCP_NODELAY
print("listening on http://127.0.0.1:%d" % sock.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                              lifespan="off")).run(sockets=[sock])
"""


def start(argv: list[str]) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    ready, _, _ = select.select([process.stdout], [], [], 60)
    if not ready:
        process.kill()
        raise SystemExit("server did not start")
    return process, process.stdout.readline().rsplit(" ", 1)[1].strip()


def make_apps(db: str, count: int) -> list[str]:
    """``count`` apps with a `dev` environment, written into the emulator's store directly."""
    from amplify_auth_widgets.emulator.store import Store

    store = Store(db)
    apps = [f"dbench{i:08d}" for i in range(count)]
    now = time.time()
    with store.transaction() as tx:
        tx.executemany(
            "INSERT INTO apps VALUES (?, ?, '{}', ?, ?)",
            [(a, f"bench{i}", now, now) for i, a in enumerate(apps)],
        )
        tx.executemany(
            "INSERT INTO environments VALUES (?, 'dev', '{}', ?, ?)", [(a, now, now) for a in apps]
        )
    store.close()
    return apps


def client_process(url: str, apps: list[str], go: Any, seconds: float, out: Any) -> None:
    """One load-generating process: its own boto3 client, its own apps, until told to stop."""
    import boto3
    from botocore.config import Config
    from conftest import valid_request

    c = boto3.session.Session(
        aws_access_key_id="emulator", aws_secret_access_key="emulator-secret"
    ).client(
        "amplifybackend",
        endpoint_url=url,
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}),
    )
    requests = [valid_request(AppId=a, BackendEnvironmentName="dev") for a in apps]
    latencies: list[float] = []
    go.wait()  # a barrier: every process is ready before the clock starts
    deadline = time.time() + seconds
    try:
        for request in requests:
            if time.time() >= deadline:
                break
            t0 = time.perf_counter()
            created = c.create_backend_auth(**request)
            t1 = time.perf_counter()
            c.get_backend_job(
                AppId=request["AppId"],
                BackendEnvironmentName="dev",
                JobId=created.get("JobId") or "j",
            )
            t2 = time.perf_counter()
            latencies += [t1 - t0, t2 - t1]
        out.put((latencies, None, time.time()))
    except Exception as exc:  # reported by the parent
        out.put((latencies, repr(exc), time.time()))


def run(url: str, clients: int, seconds: float, apps: list[str]) -> dict:
    """Requests per second and latency from ``clients`` processes for ``seconds``."""
    ctx = mp.get_context("spawn")
    go, out = ctx.Barrier(clients + 1), ctx.Queue()
    share = len(apps) // clients
    workers = [
        ctx.Process(
            target=client_process,
            args=(url, apps[i * share : (i + 1) * share], go, seconds, out),
        )
        for i in range(clients)
    ]
    for w in workers:
        w.start()
    go.wait(timeout=120)
    started = time.time()
    latencies: list[float] = []
    finished = started
    for _ in workers:
        got, error, at = out.get(timeout=seconds + 120)
        if error:
            raise SystemExit(f"a client process failed: {error}")
        latencies.extend(got)
        finished = max(finished, at)
    for w in workers:
        w.join(timeout=30)
    elapsed = finished - started
    latencies.sort()
    if not latencies:
        raise SystemExit("no request finished: give the clients more apps or more time")
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "requests": len(latencies),
    }


def keep_alive_p50(url: str, n: int = 200) -> float:
    """Median ms of POSTs on one keep-alive connection, headers and body in separate writes."""
    host, port = url.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port))
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        connection.putrequest("POST", "/backend/d1bare/details")
        connection.putheader("Content-Type", "application/json")
        connection.putheader(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/"
            "amplifybackend/aws4_request, SignedHeaders=host, Signature=00",
        )
        connection.putheader("Content-Length", "2")
        connection.endheaders()
        connection.send(b"{}")
        connection.getresponse().read()
        times.append(time.perf_counter() - t0)
    connection.close()
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8, help="client processes, many-client run")
    parser.add_argument("--quick", action="store_true", help="a small run: 1 s, 2 clients")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.clients = 1.0, 2
    # More apps than the fastest plausible server can use up: one create a cycle.
    apps_needed = int(args.seconds * 2500) + 1000
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.sqlite3")
        t0 = time.perf_counter()
        apps = make_apps(db, apps_needed)
        print(f"set up {len(apps):,} apps in the store in {time.perf_counter() - t0:.2f} s")
        command = ["emulator", "--port", "0", "--job-seconds", "0", "--db", db]
        emulator, emulator_url = start([str(bin_dir / "amplify-auth"), *command])
        bare, bare_url = start([sys.executable, "-c", BARE_SERVER])
        try:
            results = {}
            for clients in (1, args.clients):
                used = apps[: len(apps) // 2] if clients == 1 else apps[len(apps) // 2 :]
                results[("emulator", clients)] = run(emulator_url, clients, args.seconds, used)
                results[("bare", clients)] = run(bare_url, clients, args.seconds, used)
            print(f"{'server':<9} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
            for (server, clients), r in results.items():
                print(
                    f"{server:<9} {clients:>7} {r['rps']:>8.0f} {r['p50_ms']:>8.2f} "
                    f"{r['p99_ms']:>8.2f}"
                )
            for clients in (1, args.clients):
                ratio = results[("emulator", clients)]["rps"] / results[("bare", clients)]["rps"]
                print(
                    f"emulator / ceiling throughput, {clients} client process(es): {ratio:.2f} "
                    "(goal >= 0.50)"
                )
            for name, url in (("emulator", emulator_url), ("bare", bare_url)):
                p50 = keep_alive_p50(url, 50 if args.quick else 500)
                print(f"keep-alive POST p50 on {name}: {p50:.2f} ms (goal < 2; a Nagle stall ~40)")
            print(json.dumps({f"{k[0]}_{k[1]}": v for k, v in results.items()}))
        finally:
            for process in (emulator, bare):
                process.terminate()
                process.wait(timeout=15)


if __name__ == "__main__":
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    main()

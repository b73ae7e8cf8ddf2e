"""Throughput and latency of the emulator, against a bare endpoint on the same server stack.

Each scenario runs a create-then-get-job cycle (CreateBackendAuth, then GetBackendJob) with real
boto3 clients in 1 and 8 threads, for a fixed time. The ceiling is the same two calls against a
bare ASGI app that answers `{}` to everything, served by uvicorn exactly as the emulator is.
Both servers run as separate processes, so that the clients do not share their interpreter.

Also checks for a Nagle stall: a keep-alive connection sending a POST whose headers and body go
out in separate writes; with TCP_NODELAY off on either side, each request waits ~40 ms.

    python bench/emulator.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import select
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
from botocore.config import Config

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
    ready, _, _ = select.select([process.stdout], [], [], 30)
    if not ready:
        raise SystemExit("server did not start")
    return process, process.stdout.readline().rsplit(" ", 1)[1].strip()


def client(url: str):
    return boto3.session.Session(
        aws_access_key_id="emulator", aws_secret_access_key="emulator-secret"
    ).client(
        "amplifybackend",
        endpoint_url=url,
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}, max_pool_connections=16),
    )


def make_apps(url: str, count: int) -> list[str]:
    amplify = boto3.session.Session(
        aws_access_key_id="emulator", aws_secret_access_key="emulator-secret"
    ).client("amplify", endpoint_url=url, region_name="us-east-1")
    apps = []
    for i in range(count):
        app_id = amplify.create_app(name=f"bench{i}")["app"]["appId"]
        amplify.create_backend_environment(appId=app_id, environmentName="dev")
        apps.append(app_id)
    return apps


def run(url: str, threads: int, seconds: float, apps: Iterator[str] | None) -> dict:
    from conftest import valid_request

    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    errors: list[BaseException] = []

    def worker() -> None:
        try:
            work()
        except BaseException as exc:
            errors.append(exc)

    def work() -> None:
        c = client(url)
        mine = []
        while time.perf_counter() < stop_at:
            with lock:
                app_id = next(apps) if apps is not None else "d1bare"
            request = valid_request(AppId=app_id, BackendEnvironmentName="dev")
            t0 = time.perf_counter()
            created = c.create_backend_auth(**request)
            t1 = time.perf_counter()
            c.get_backend_job(
                AppId=app_id, BackendEnvironmentName="dev", JobId=created.get("JobId") or "j"
            )
            t2 = time.perf_counter()
            mine += [t1 - t0, t2 - t1]
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise errors[0]
    elapsed = time.perf_counter() - started
    latencies.sort()
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
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    emulator, emulator_url = start(
        [str(bin_dir / "amplify-auth"), "emulator", "--port", "0", "--job-seconds", "0"]
    )
    bare, bare_url = start([sys.executable, "-c", BARE_SERVER])
    try:
        apps = iter(make_apps(emulator_url, 12000))
        results = {}
        for threads in (1, 8):
            results[("emulator", threads)] = run(emulator_url, threads, args.seconds, apps)
            results[("bare", threads)] = run(bare_url, threads, args.seconds, None)
        print(f"{'server':<9} {'threads':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for (server, threads), r in results.items():
            print(
                f"{server:<9} {threads:>7} {r['rps']:>8.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}"
            )
        for threads in (1, 8):
            ratio = results[("emulator", threads)]["rps"] / results[("bare", threads)]["rps"]
            print(f"emulator / ceiling throughput, {threads} thread(s): {ratio:.2f} (goal >= 0.50)")
        for name, url in (("emulator", emulator_url), ("bare", bare_url)):
            print(
                f"keep-alive POST p50 on {name}: {keep_alive_p50(url):.2f} ms "
                "(a Nagle stall would be ~40 ms)"
            )
        print(json.dumps({f"{k[0]}_{k[1]}": v for k, v in results.items()}))
    finally:
        for process in (emulator, bare):
            process.terminate()
            process.wait(timeout=15)


if __name__ == "__main__":
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    main()

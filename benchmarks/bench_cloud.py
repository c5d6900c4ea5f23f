"""Opening + validating a datasource in a bucket vs. the least any client must do. Prints figures.

A moto S3 server on 127.0.0.1, in a process of its own (as a real store is: it must not share
the client's interpreter lock; `--in-process` runs ThreadedMotoServer in this process) gets
N objects: N/2 tiny images and N/2 metadata files (with a schema). Then, three times each, in this run:

- floor: boto3 (the provider's own client) lists the prefix with its paginator and GETs every
  metadata object, 16 at a time (a thread pool, as a careful script would);
- ours: core.validation.validate.validate_datasource("s3://...") — the concurrent listing,
  the concurrent fetch of every metadata file, and every check.

The issue's goal is ours/floor <= 1.5 at 100k objects; the ratio of the medians is printed.

    .venv/bin/python benchmarks/bench_cloud.py [--objects 100000] [--repeat 3] [--in-process]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCHEMA = [{"name": "Label", "path": "label", "defaultValue": "none", "valueDataType": "CATEGORICAL_STRING"},
          {"name": "Speed", "path": "car.speed", "defaultValue": 0.0, "valueDataType": "NUMERIC_FLOAT"}]


def upload(s3, bucket: str, n_images: int) -> None:
    def put(i: int) -> None:
        rel = f"d{i % 100:02d}/img{i:06d}"
        s3.put_object(Bucket=bucket, Key=f"ds/{rel}.png", Body=b"png")
        doc = {"file_name": f"{rel}.png", "type": "image",
               "metadata": {"label": ["cat", "dog"][i % 2], "car": {"speed": i / 10}}}
        s3.put_object(Bucket=bucket, Key=f"ds/.lightly/metadata/{rel}.json", Body=json.dumps(doc).encode())

    s3.put_object(Bucket=bucket, Key="ds/.lightly/metadata/schema.json", Body=json.dumps(SCHEMA).encode())
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, range(n_images)))


def floor(s3, bucket: str) -> int:
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="ds/"):
        keys += [o["Key"] for o in page.get("Contents", ())]
    meta = [k for k in keys if k.startswith("ds/.lightly/metadata/")]
    with ThreadPoolExecutor(16) as pool:
        sizes = list(pool.map(lambda k: len(s3.get_object(Bucket=bucket, Key=k)["Body"].read()), meta))
    return len(sizes)


def ours(url: str) -> int:
    from core.storage import remote
    from core.validation.validate import validate_datasource

    remote._stores.clear()  # nothing cached from the previous run
    index, findings = validate_datasource(url, confirm_frames=False)
    assert not findings, findings[:3]
    return len(index.metadata)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--in-process", action="store_true", help="moto's server in this process")
    args = ap.parse_args()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    import boto3
    from botocore.config import Config
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.cloud.servers import free_port, wait_for_port

    port = free_port()
    if args.in_process:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        stop = server.stop
    else:
        proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(port, "moto server", proc)
        stop = proc.terminate
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"})
    s3 = boto3.client("s3", config=Config(max_pool_connections=32))
    s3.create_bucket(Bucket="bench")
    n_images = args.objects // 2
    t = time.perf_counter()
    upload(s3, "bench", n_images)
    print(f"{2 * n_images + 1} objects uploaded in {time.perf_counter() - t:.1f} s", flush=True)
    floors, runs = [], []
    for i in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        n = floor(s3, "bench")
        floors.append(time.perf_counter() - t)
        floor_cpu = time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        m = ours("s3://bench/ds")
        runs.append(time.perf_counter() - t)
        ours_cpu = time.process_time() - c
        print(f"run {i + 1}: floor {floors[-1]:.2f} s ({n} GETs, client CPU {floor_cpu:.1f} s), "
              f"open+validate {runs[-1]:.2f} s ({m} files, client CPU {ours_cpu:.1f} s)", flush=True)
    f_min, f_med = min(floors), statistics.median(floors)
    o_min, o_med = min(runs), statistics.median(runs)
    print(f"floor min/median {f_min:.2f}/{f_med:.2f} s; open+validate min/median {o_min:.2f}/{o_med:.2f} s")
    print(f"ratio (median) {o_med / f_med:.2f}  (min) {o_min / f_min:.2f}  goal <= 1.5 at 100k objects")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1/5/15 min): {load} on {os.cpu_count()} CPUs")
    stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

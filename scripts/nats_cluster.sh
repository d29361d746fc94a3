#!/usr/bin/env bash
# A 3-node NATS JetStream cluster on loopback (docs/operator-guide.md, "Bus on NATS JetStream"):
# starts the nodes in a temporary directory, creates a stream with 3 replicas, publishes N
# messages (each with its Nats-Msg-Id, retried on error as the relay does) while one node is
# killed halfway, then checks that the stream holds every message exactly once. Exit 0 = none lost.
# Ports: clients 14221-14223, routes 16231-16233 (override with BASE_CLIENT / BASE_ROUTE).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
BASE_CLIENT=${BASE_CLIENT:-1422}
BASE_ROUTE=${BASE_ROUTE:-1623}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/egov-nats-cluster.XXXXXX")
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT

ROUTES="nats://127.0.0.1:${BASE_ROUTE}1,nats://127.0.0.1:${BASE_ROUTE}2,nats://127.0.0.1:${BASE_ROUTE}3"
for i in 1 2 3; do
  nats-server -js -n "egov-n$i" -a 127.0.0.1 -p "${BASE_CLIENT}$i" --cluster_name egov-test \
    --cluster "nats://127.0.0.1:${BASE_ROUTE}$i" --routes "$ROUTES" -sd "$DIR/n$i" \
    >"$DIR/n$i.log" 2>&1 &
  PIDS+=($!)
done
export NATS_URLS="nats://127.0.0.1:${BASE_CLIENT}1,nats://127.0.0.1:${BASE_CLIENT}2,nats://127.0.0.1:${BASE_CLIENT}3"
export VICTIM_PID=${PIDS[1]} N

.venv/bin/python - <<'PY'
import asyncio, os, signal, time

import nats
from nats.js.api import StreamConfig

N, VICTIM = int(os.environ["N"]), int(os.environ["VICTIM_PID"])


async def main() -> None:
    nc = await nats.connect(os.environ["NATS_URLS"].split(","), max_reconnect_attempts=-1)
    js = nc.jetstream(timeout=5)
    deadline = time.monotonic() + 30
    while True:  # the cluster elects its meta leader first
        try:
            await js.add_stream(StreamConfig(name="EGOV_UJI", subjects=["uji.>"], num_replicas=3))
            break
        except Exception as error:
            if time.monotonic() > deadline:
                raise
            print("waiting for the cluster:", type(error).__name__)
            await asyncio.sleep(1)
    retries = 0
    for i in range(N):
        if i == N // 2:
            os.kill(VICTIM, signal.SIGKILL)
            print(f"killed node 2 (pid {VICTIM}) after {i} messages")
        while True:
            try:
                await js.publish(f"uji.pesan.{i}", str(i).encode(), headers={"Nats-Msg-Id": f"m{i}"})
                break
            except Exception as error:  # no ack: publish again, the msg id de-duplicates
                retries += 1
                print(f"message {i}: {type(error).__name__}, publishing again")
                await asyncio.sleep(0.2)
    info = await js.stream_info("EGOV_UJI")
    seen = set()
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        seen.add((await js.get_msg("EGOV_UJI", seq=seq)).data)
    print(f"published {N}, retries {retries}; stream holds {info.state.messages}, "
          f"distinct {len(seen)}, replicas {info.config.num_replicas}, "
          f"cluster leader {info.cluster.leader if info.cluster else '-'}")
    await nc.close()
    assert info.state.messages == N == len(seen), "messages lost or duplicated"
    print("OK: nothing lost, nothing duplicated")


asyncio.run(main())
PY

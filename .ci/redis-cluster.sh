#!/usr/bin/env bash
# A local three-master Redis Cluster on 127.0.0.1:7000-7002 (no replicas, nothing persisted), for the
# RedisStore's cluster tests. Idempotent: a cluster that already answers cluster_state:ok is left alone.
#   bash .ci/redis-cluster.sh          start (or check) the cluster
#   bash .ci/redis-cluster.sh stop     shut the three nodes down and remove their directories
set -euo pipefail
PORTS=(7000 7001 7002)
BASE="${REDIS_CLUSTER_DIR:-${TMPDIR:-/tmp}/sik-redis-cluster}"

state() { redis-cli -p "${PORTS[0]}" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p'; }

if [ "${1:-start}" = "stop" ]; then
  for port in "${PORTS[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$BASE"
  exit 0
fi

if [ "$(state)" = "ok" ]; then echo "redis cluster: already up on ${PORTS[*]}"; exit 0; fi

for port in "${PORTS[@]}"; do
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    # A fresh directory each start: a stale nodes.conf would name a cluster that no longer exists.
    rm -rf "$BASE/$port" && mkdir -p "$BASE/$port"
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 5000 --dir "$BASE/$port" --save "" --appendonly no --daemonize yes \
      --logfile "$BASE/$port/redis.log"
  fi
done
for _ in $(seq 1 50); do
  up=0
  for port in "${PORTS[@]}"; do redis-cli -p "$port" ping >/dev/null 2>&1 && up=$((up + 1)); done
  [ "$up" -eq "${#PORTS[@]}" ] && break
  sleep 0.1
done
if [ "$(redis-cli -p "${PORTS[0]}" cluster info | tr -d '\r' | sed -n 's/^cluster_known_nodes://p')" != "3" ]; then
  redis-cli --cluster create 127.0.0.1:7000 127.0.0.1:7001 127.0.0.1:7002 --cluster-replicas 0 --cluster-yes >/dev/null
fi
for _ in $(seq 1 100); do
  if [ "$(state)" = "ok" ]; then echo "redis cluster: up on ${PORTS[*]}"; exit 0; fi
  sleep 0.1
done
echo "redis cluster did not reach cluster_state:ok" >&2
exit 1

#!/usr/bin/env bash
# The load benchmark: `make bench-load`. Never part of `make test`.
#
# Creates its own PostgreSQL database (zhicheng_load, dropped first), migrates, loads the
# season, seeds N applications (bench/load/seed.py), puts the seeded sessions into the
# session cache as logins would (bench/load/warm_sessions.py), starts gunicorn (production
# settings, several sync workers), a Celery worker on Redis and a load-average sampler,
# then runs locust headless as its own process:
#   1. the mix: 50 users, 60 s, every listed endpoint and the bare view /healthz;
#   2. two saturation runs (no think time): the bare view alone, the worklist alone;
#   3. the deadline surge (bench/load/surge.py): the server restarted on the last day of
#      plan 41's window, 1,000 drafts submitted at once, then the database is checked.
# Writes OUT/report.md (bench/load/report.py) and the raw CSV/JSON beside it.
#
# Environment: LOAD_APPLICATIONS (100000), LOAD_USERS (50), LOAD_SECONDS (60),
# LOAD_WORKERS (gunicorn workers, 4), LOAD_PORT (8108), LOAD_OUT (var/load),
# LOAD_SURGE (1000), LOAD_REDIS_DB (8); LOAD_SEED_ONLY=1 stops after seeding and
# LOAD_KEEP_DB=1 measures an already seeded database; LOAD_SKIP_SURGE=1 skips the surge
# (it submits its drafts, so it runs once per seeding; its earlier figures are kept);
# LOAD_AUDIT_CHAINING (after_commit, the production default, or sequencer: then one
# `zhicheng audit sequence --follow` process chains the events, docs/trust.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${LOAD_BIN:-$ROOT/.venv/bin}  # LOAD_BIN: run a snapshot of the tree with this venv
N=${LOAD_APPLICATIONS:-100000}
USERS=${LOAD_USERS:-50}
SECONDS_=${LOAD_SECONDS:-60}
WORKERS=${LOAD_WORKERS:-4}
PORT=${LOAD_PORT:-8108}
OUT=$(realpath -m "${LOAD_OUT:-var/load}")
SURGE=${LOAD_SURGE:-1000}
DB=zhicheng_load
HOST=http://127.0.0.1:$PORT
mkdir -p "$OUT"

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/${LOAD_REDIS_DB:-8}
export ZHICHENG_VAR_DIR=$OUT/var
# The server and the worker run with ZHICHENG_PRODUCTION=1 (the set-up cannot: seed_demo,
# which gives the certificates their city office, refuses production settings).
PROD=(env ZHICHENG_PRODUCTION=1)
export ZHICHENG_SSL_REDIRECT=0          # plain HTTP on 127.0.0.1 (no TLS proxy in front)
export ZHICHENG_SECRET_KEY=load-benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuv
export ZHICHENG_ALLOWED_HOSTS=127.0.0.1,localhost
export ZHICHENG_SITE_URL=http://127.0.0.1:${LOAD_PORT:-8108}
export ZHICHENG_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export ZHICHENG_TODAY=2024-07-15        # inside plan 41's window (5–7月)
# Every locust request comes from 127.0.0.1; the per-address verification throttle would
# answer 429 after 30 requests and measure nothing else.
export ZHICHENG_VERIFICATIONS_PER_10MIN=1000000000
export ZHICHENG_LOG_LEVEL=WARNING
export LOAD_FIXTURES=$OUT/fixtures.json
export ZHICHENG_AUDIT_CHAINING=${LOAD_AUDIT_CHAINING:-after_commit}

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

log() { echo "[bench-load $(date +%H:%M:%S)] $*"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# Before a phase whose figures are judged: let the previous phase's load decay (the 1-minute
# average falls by e every minute), at most LOAD_SETTLE_SECONDS (180), so the phase starts
# below the 1.5 the runners require instead of on the benchmark's own residue.
settle() {
  local waited=0
  while awk "BEGIN{exit !($(load1) > 1.2)}" && (( waited < ${LOAD_SETTLE_SECONDS:-180} )); do
    sleep 5; waited=$((waited + 5))
  done
  log "load $(load1) before $1 (waited ${waited}s)"
  echo "$(date +%s) $1 $(load1)" >> "$OUT/load-before.txt"
}

scripts/ensure-services
if [[ "${LOAD_KEEP_DB:-0}" != 1 ]]; then
  log "database $DB (fresh)"
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  rm -rf "$ZHICHENG_VAR_DIR"
  rm -f "$OUT/loadavg.txt" "$OUT/surge.json" "$OUT/audit.txt"
  "$BIN/zhicheng" migrate --noinput -v0
  "$BIN/zhicheng" load_season --quiet-warnings --publish-at 2024-07-15 >/dev/null
  "$BIN/zhicheng" seed_demo >/dev/null
  "$BIN/zhicheng" certificate keygen --if-missing >/dev/null
  log "seeding $N applications"
  "$BIN/python" bench/load/seed.py --applications "$N" --surge "$SURGE" --out "$OUT" \
    | tee "$OUT/seed.log"
fi
if [[ "${LOAD_SEED_ONLY:-0}" == 1 ]]; then log "seeded; LOAD_SEED_ONLY=1: stopping"; exit 0; fi
redis-cli -n "${LOAD_REDIS_DB:-8}" flushdb >/dev/null
# Production serves static files through a manifest (hashed names): pages need it built.
"${PROD[@]}" "$BIN/zhicheng" collectstatic --noinput -v0
# The seeded people's sessions into the cache, where their logins would have put them.
"${PROD[@]}" "$BIN/python" bench/load/warm_sessions.py "$OUT/fixtures.json"

start_server() {  # $1 = business date
  "${PROD[@]}" ZHICHENG_TODAY="$1" "$BIN/gunicorn" zhicheng.wsgi:application --bind "127.0.0.1:$PORT" \
    --workers "$WORKERS" --no-control-socket --backlog 2048 --timeout 120 \
    --error-logfile "$OUT/gunicorn.log" &
  SERVER=$!
  PIDS+=("$SERVER")
  for _ in $(seq 60); do curl -sf "$HOST/healthz" >/dev/null && break; sleep 1; done
  # Warm every worker (imports, templates, connections) before measuring.
  for _ in $(seq $((WORKERS * 4))); do
    curl -s -o /dev/null "$HOST/plans/"; curl -s -o /dev/null "$HOST/publicity/"
  done
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }

"${PROD[@]}" "$BIN/celery" -A zhicheng.celery worker --concurrency 1 --loglevel WARNING \
  --logfile "$OUT/celery.log" &
PIDS+=($!)
if [[ "$ZHICHENG_AUDIT_CHAINING" == sequencer ]]; then
  log "audit chaining: the sequencer process"
  "${PROD[@]}" "$BIN/zhicheng" audit sequence --follow > "$OUT/sequencer.log" 2>&1 &
  PIDS+=($!)
fi
( while sleep 2; do echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)"; done ) \
  >> "$OUT/loadavg.txt" &
PIDS+=($!)
start_server "$ZHICHENG_TODAY"

locust() {  # $1 = csv prefix, rest = locust arguments
  local name=$1; shift
  echo "$(date +%s) start $name" >> "$OUT/phases.txt"
  "$BIN/locust" -f bench/load/locustfile.py --headless --host "$HOST" --only-summary \
    --csv "$OUT/$name" "$@" > "$OUT/$name.log" 2>&1 || true
  echo "$(date +%s) end $name" >> "$OUT/phases.txt"
}
[[ "${LOAD_SKIP_SURGE:-0}" == 1 ]] && [[ -f "$OUT/phases.txt" ]] \
  && grep surge "$OUT/phases.txt" > "$OUT/phases.keep" || : > "$OUT/phases.keep"
mv "$OUT/phases.keep" "$OUT/phases.txt"
rm -f "$OUT/load-before.txt"
echo "$(date +%s) chaining $ZHICHENG_AUDIT_CHAINING" > "$OUT/settings.txt"
settle mix
log "mix: $USERS users, ${SECONDS_}s"
locust mix -u "$USERS" -r 10 -t "${SECONDS_}s" --tags mix
log "saturation: bare view, then worklist (no think time)"
LOAD_WAIT=0,0 locust ceiling -u "$USERS" -r "$USERS" -t 20s --tags ceiling Public
LOAD_WAIT=0,0 locust worklist -u "$USERS" -r "$USERS" -t 20s --tags worklist Reviewer
# Signed-in saturation of every page with wrk, each against /healthz in the same run.
if command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }; then
  settle wrk
  log "saturation with wrk: every page, ratio to /healthz"
  echo "$(date +%s) start wrk" >> "$OUT/phases.txt"
  "$BIN/python" bench/load/saturate.py --host "$HOST" --connections "$USERS" --out "$OUT" \
    > "$OUT/saturation.log" 2>&1 || true
  echo "$(date +%s) end wrk" >> "$OUT/phases.txt"
else
  log "wrk is not installed (apt-get install wrk): skipping the per-page saturation"
fi
stop_server
# In-process page budgets (CPU and SQL apart), after the server stopped: nothing else runs,
# once wrk's load has decayed (the report marks figures taken above 1.5 as not comparable).
# A submission consumes surge drafts, so it is timed only when the surge will not run.
settle page-budgets
if [[ "${LOAD_SKIP_SURGE:-0}" == 1 ]]; then
  "$BIN/python" bench/load/page_budgets.py --out "$OUT/page-budgets.md" \
    > "$OUT/page-budgets.log" 2>&1 || true
else
  "$BIN/python" bench/load/page_budgets.py --out "$OUT/page-budgets.md" --skip-submission \
    > "$OUT/page-budgets.log" 2>&1 || true
fi

SURGE_OK=skipped
if [[ "${LOAD_SKIP_SURGE:-0}" != 1 ]]; then  # the surge submits its drafts: once per seeding
  log "deadline surge: $SURGE submissions on 2024-07-31 (last day of the 5–7月 window)"
  start_server 2024-07-31
  settle surge
  echo "$(date +%s) start surge" >> "$OUT/phases.txt"
  "$BIN/python" bench/load/surge.py --host "$HOST" --out "$OUT" > "$OUT/surge.log" 2>&1 \
    && SURGE_OK=1 || SURGE_OK=0
  echo "$(date +%s) end surge" >> "$OUT/phases.txt"
  "$BIN/zhicheng" audit verify > "$OUT/audit.txt" 2>&1 || true
  stop_server
fi

"$BIN/python" bench/load/report.py "$OUT" > "$OUT/report.md"
for extra in saturation.md page-budgets.md; do
  [[ -f "$OUT/$extra" ]] && { echo; echo "## ${extra%.md}"; echo; cat "$OUT/$extra"; } >> "$OUT/report.md"
done
cat "$OUT/report.md"
log "report: $OUT/report.md (surge ok: $SURGE_OK)"

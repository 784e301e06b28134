#!/usr/bin/env bash
# Peak memory (VmHWM) of a server process while it uploads and downloads a 1 GiB tree through sync.
# Usage: bench/memory-1g-tree.sh   (needs the CLI jar: ./openagb --help builds it; needs curl, python3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(mktemp -d)"; port=18900
java ${JAVA_OPTS:-} -jar "$here/cli/target/openagb.jar" server --port $port --data-dir "$data" >"$data/out.log" 2>"$data/err.log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do [ -s "$data/api-key" ] && grep -q listening "$data/out.log" && break; sleep 0.2; done
key=$(cat "$data/api-key"); B=http://127.0.0.1:$port; H="authorization: Bearer $key"
api() { curl -s -X "$1" "$B$2" -H "$H" -H 'content-type: application/json' ${3:+-d "$3"}; }
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
ctx=$(api GET "/sdk/GetContext?name=mem&allowCreate=true" | jq_ "d['data']['id']")
body="{\"persistenceDataList\":[{\"contextId\":\"$ctx\",\"path\":\"/home/t\",\"policy\":\"{}\"}]}"
wait_tasks() { while api GET "/sdk/GetContextInfo?sessionId=$1" | grep -qE 'Pending|Running'; do sleep 0.2; done; }
rss() { grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MiB"}'; }
echo "server RSS peak after start: $(rss)"
sid=$(api POST "/mcp/createSession?imageId=agb-code-space-1" "$body" | jq_ "d['data']['sessionId']")
wait_tasks "$sid"
# 1 GiB: 4 files of 192 MiB + 4096 files of 64 KiB, written inside the sandbox.
cmd='mkdir -p /home/t/big /home/t/small && for i in 1 2 3 4; do head -c 201326592 /dev/urandom > /home/t/big/f$i; done && for i in $(seq 1 4096); do head -c 65536 /dev/urandom > /home/t/small/f$i; done'
args=$(python3 -c "import json,sys; print(json.dumps(json.dumps({'command': sys.argv[1], 'timeout_ms': 600000})))" "$cmd")
api POST /mcp "{\"sessionId\":\"$sid\",\"name\":\"shell\",\"args\":$args}" >/dev/null
echo "tree written: $(du -sh "$data/sessions/$sid/fs/home/t" | cut -f1)"
t0=$(date +%s.%N); api POST "/sdk/SyncContext?sessionId=$sid" >/dev/null; wait_tasks "$sid"; t1=$(date +%s.%N)
echo "upload: $(python3 -c "print(round($t1-$t0,2))") s; server RSS peak: $(rss)"
api POST /mcp/releaseSessionAsync "{\"sessionId\":\"$sid\"}" >/dev/null
while api POST /mcp/getSessionInfo "{\"sessionId\":\"$sid\"}" | grep -q '"success":true'; do sleep 0.2; done
t0=$(date +%s.%N); sid2=$(api POST "/mcp/createSession?imageId=agb-code-space-1" "$body" | jq_ "d['data']['sessionId']"); wait_tasks "$sid2"; t1=$(date +%s.%N)
echo "download: $(python3 -c "print(round($t1-$t0,2))") s; server RSS peak: $(rss)"

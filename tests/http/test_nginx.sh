#!/usr/bin/env bash
# nginx in front of a stub API with `pactum serve` as its auth_request target, configured by
# examples/nginx/nginx.conf (only the addresses and file paths are rewritten).
#
#   bash tests/http/test_nginx.sh PACTUM
#
# Installs Debian's nginx if it is missing (nginx-light, else nginx); exits 77 (skipped) only if it
# cannot. Runs nginx as the current user, in the foreground, with its pid, logs and temp files in
# a scratch directory, on loopback ports. Shows that a commercial API call routed to AWS is refused
# (403, citing azure_api_exclusivity in a response header and in nginx's access log) and that the
# same call for a U.S. government national security customer passes (200 from the stub).
# Prints "N passed, M failed" last.
set -u
PACTUM=$(readlink -f "${1:?usage: test_nginx.sh PACTUM}")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONF_IN=$ROOT/examples/nginx/nginx.conf

# ---- nginx -------------------------------------------------------------------------------------
find_nginx() { command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }
has_auth_request() { "$1" -V 2>&1 | grep -q -- --with-http_auth_request_module; }
NGINX=$(find_nginx)
if [ -z "$NGINX" ] || ! has_auth_request "$NGINX"; then
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  if command -v apt-get >/dev/null && { [ -z "$SUDO" ] || sudo -n true 2>/dev/null; }; then
    echo "installing Debian's nginx (nginx-light, else nginx)"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -q nginx-light >/dev/null 2>&1 ||
      { $SUDO apt-get update -q >/dev/null 2>&1; $SUDO apt-get install -y -q nginx-light >/dev/null 2>&1; } ||
      $SUDO apt-get install -y -q nginx >/dev/null 2>&1
    NGINX=$(find_nginx)
    if [ -n "$NGINX" ] && ! has_auth_request "$NGINX"; then
      $SUDO apt-get install -y -q nginx-core >/dev/null 2>&1
    fi
  fi
fi
if [ -z "$NGINX" ] || ! has_auth_request "$NGINX"; then
  echo "SKIP: nginx with the auth_request module is not installed and apt-get could not install it"
  exit 77
fi

# ---- scratch directory, processes ----------------------------------------------------------------
T=$(mktemp -d /tmp/pactum-nginx-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  [ "${PACTUM_KEEP_TMP:-}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT

pass=0
fail=0
check() { # check NAME COMMAND...
  local name=$1
  shift
  if "$@"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name"
    [ -s "$T/last" ] && sed 's/^/    /' "$T/last" | head -25
  fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit $?
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # wait_port PORT: until something accepts on it (10 s)
  python3 - "$1" <<'EOF'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
}

# fetch PATH [HEADER: VALUE]...: GET through nginx; writes "status", headers and body to $T/last.
fetch() {
  python3 - "$NGINX_PORT" "$@" >"$T/last" 2>&1 <<'EOF'
import http.client, sys
port, path, hdrs = int(sys.argv[1]), sys.argv[2], {}
for h in sys.argv[3:]:
    k, v = h.split(":", 1)
    hdrs[k.strip()] = v.strip()
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
c.request("GET", path, headers=hdrs)
r = c.getresponse()
print(r.status)
for k, v in r.getheaders():
    print("%s: %s" % (k, v))
print()
print(r.read().decode("utf-8", "replace"))
EOF
}
status_is() { [ "$(head -n 1 "$T/last")" = "$1" ]; }
header_is() { grep -qi "^$1: $2\$" <(sed -n '2,/^$/p' "$T/last" | tr -d '\r'); }
body_has() { sed '1,/^$/d' "$T/last" | grep -q -- "$1"; }
log_has() { tail -n 1 "$T/access.log" 2>/dev/null | grep -q -- "$1" || { cp "$T/access.log" "$T/last" 2>/dev/null; false; }; }
stub_saw() { grep -q -- "$1" "$T/stub.log" 2>/dev/null; }
stub_count() { [ -f "$T/stub.log" ] && wc -l <"$T/stub.log" || echo 0; }

# ---- the stub upstream: answers 200 to anything, and logs what it received ------------------------
STUB_PORT=$(free_port)
cat >"$T/stub.py" <<'EOF'
import http.server, json, sys
LOG = sys.argv[2]
class Stub(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        seen = {"path": self.path, "decision": self.headers.get("X-Pactum-Decision")}
        with open(LOG, "a") as f:
            f.write(json.dumps(seen) + "\n")
        body = json.dumps({"stub": "upstream", **seen}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Stub).serve_forever()
EOF
python3 "$T/stub.py" "$STUB_PORT" "$T/stub.log" 2>"$T/stub.err" &
PIDS+=($!)

# ---- pactum serve ------------------------------------------------------------------------------------
"$PACTUM" serve --listen 127.0.0.1:0 --db "$T/pactum.db" 2>"$T/pactum.err" &
PACTUM_PID=$!
PIDS+=($PACTUM_PID)
PACTUM_PORT=
for _ in $(seq 200); do
  PACTUM_PORT=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/pactum.err" | head -n 1)
  [ -n "$PACTUM_PORT" ] && break
  sleep 0.05
done
[ -n "$PACTUM_PORT" ] || { echo "FAIL pactum serve did not start"; cat "$T/pactum.err"; exit 1; }

# ---- nginx, configured by the example ------------------------------------------------------------
NGINX_PORT=$(free_port)
mkdir -p "$T/tmp"
sed -e "s|127\.0\.0\.1:8181|127.0.0.1:$PACTUM_PORT|" \
    -e "s|127\.0\.0\.1:9000|127.0.0.1:$STUB_PORT|" \
    -e "s|listen 127\.0\.0\.1:8080|listen 127.0.0.1:$NGINX_PORT|" \
    -e "s|/var/log/nginx/pactum-gate\.log|$T/access.log|" \
    -e "s|^http {|http {\n    client_body_temp_path $T/tmp/body;\n    proxy_temp_path $T/tmp/proxy;\n    fastcgi_temp_path $T/tmp/fastcgi;\n    uwsgi_temp_path $T/tmp/uwsgi;\n    scgi_temp_path $T/tmp/scgi;|" \
    "$CONF_IN" >"$T/nginx.conf"
NGINX_ARGS=(-p "$T" -c "$T/nginx.conf" -e "$T/error.log" -g "daemon off; master_process off; pid $T/nginx.pid;")
"$NGINX" -t -q "${NGINX_ARGS[@]}" >"$T/last" 2>&1
check "nginx -t accepts examples/nginx/nginx.conf" [ $? -eq 0 ]
"$NGINX" "${NGINX_ARGS[@]}" 2>>"$T/error.log" &
PIDS+=($!)
if ! wait_port "$NGINX_PORT" || ! wait_port "$STUB_PORT"; then
  echo "FAIL nginx or the stub did not start"
  cat "$T/error.log" "$T/stub.err"
  exit 1
fi

# ---- the checks ---------------------------------------------------------------------------------

# A commercial API call routed to AWS: the Azure API exclusivity refuses it.
n0=$(stub_count)
fetch /api/v1/models "X-Cloud: aws"
check "a commercial API call routed to AWS is refused: 403" status_is 403
check "the refusal says deny (X-Pactum-Decision)" header_is X-Pactum-Decision deny
check "the refusal cites azure_api_exclusivity (X-Pactum-Clauses)" header_is X-Pactum-Clauses azure_api_exclusivity
check "nginx's access log records the refusal and the clause" log_has '"GET /api/v1/models HTTP/1.1" 403 cloud=aws segment=commercial decision=deny clauses=azure_api_exclusivity'
check "the refused call never reached the upstream" [ "$(stub_count)" -eq "$n0" ]

# The same call for a U.S. government national security customer passes.
fetch /api/v1/models "X-Cloud: aws" "X-Customer-Segment: us_gov_national_security"
check "the same call for customer segment us_gov_national_security passes: 200" status_is 200
check "the 200 comes from the stub upstream" body_has '"stub": "upstream"'
check "the answer says allow, by national_security_any_cloud" \
  eval 'header_is X-Pactum-Decision allow && header_is X-Pactum-Clauses national_security_any_cloud'
check "the upstream received the decision (X-Pactum-Decision: allow)" stub_saw '"path": "/api/v1/models", "decision": "allow"'
check "the access log records the allow" log_has 'segment=us_gov_national_security decision=allow clauses=national_security_any_cloud'

# Azure is fine; a request with no cloud fails closed; clients cannot forge the gate's headers.
fetch /api/v1/models "X-Cloud: azure"
check "an API call served on Azure passes: 200 (api_on_azure)" eval 'status_is 200 && header_is X-Pactum-Clauses api_on_azure'
fetch /api/v1/models
check "an API call without X-Cloud is refused (cloud 'unknown'): 403" status_is 403
fetch /api/v1/models "X-Cloud: aws" "X-Pactum-Context-Customer-Segment: us_gov_national_security" "X-Pactum-Principal: microsoft"
check "a client's own X-Pactum-* headers are not passed to the gate: still 403" eval 'status_is 403 && header_is X-Pactum-Clauses azure_api_exclusivity'
fetch /pactum-gate "X-Cloud: azure"
check "clients cannot call the internal gate location: 404" status_is 404

# Another location, another fixed action: non-API products may be served on any cloud.
fetch /products/chat "X-Cloud: aws"
check "/products/ on AWS (action serve_product): 200 by non_api_products_any_cloud" \
  eval 'status_is 200 && header_is X-Pactum-Clauses non_api_products_any_cloud'

# pactum counted the gate's decisions.
python3 - "$PACTUM_PORT" >"$T/last" 2>&1 <<'EOF'
import http.client, re, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
c.request("GET", "/metrics")
text = c.getresponse().read().decode()
print(text)
deny = int(re.search(r'pactum_decisions_total\{outcome="deny"\} (\d+)', text).group(1))
allow = int(re.search(r'pactum_decisions_total\{outcome="allow"\} (\d+)', text).group(1))
sys.exit(0 if deny == 3 and allow == 3 else 1)
EOF
check "pactum's metrics count the gate's 3 denials and 3 allows" [ $? -eq 0 ]

# With pactum gone, the gate fails closed.
kill -TERM "$PACTUM_PID"
wait "$PACTUM_PID"
check "pactum serve exits 0 on SIGTERM" [ $? -eq 0 ]
fetch /api/v1/models "X-Cloud: azure"
check "with pactum down, nginx refuses (500), it does not let the call through" status_is 500

check "nginx logged no error about the configuration" eval '! grep -E "\[(emerg|crit)\]" "$T/error.log" >"$T/last"'
finish

#!/bin/bash
# Bad input over HTTP gets the right 4xx JSON error and changes nothing in
# storage.
. "$(dirname "$0")/lib.sh"

t_admin_ready
token=$(grep -o '"token":"[^"]*"' "$T_DIR/home-admin/session.json" | cut -d'"' -f4)
[ -n "$token" ] || fail "no admin token in the session file"
auth=(-H "Authorization: Bearer $token")
json=(-H "Content-Type: application/json")

db_snapshot "$T_DIR/before.sql"

# check NAME WANT-STATUS WANT-CODE METHOD PATH [curl args]
check() {
	local name=$1 want=$2 code=$3 method=$4 path=$5 out status
	shift 5
	out=$(api "$method" "$path" "$@")
	status=${out%% *}
	[ "$status" = "$want" ] || fail "$name: status $status, want $want: $out"
	grep -q "\"error\":{\"code\":\"$code\"" "$T_DIR/api.body" ||
		grep -q "\"code\":\"$code\"" "$T_DIR/api.body" ||
		fail "$name: body lacks code $code: $out"
	ok "$name -> $want $code"
}

check "malformed JSON" 400 invalid_json POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data '{"id":"dod","name":'
check "top-level array" 400 invalid_json POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data '["dod"]'
check "duplicate key" 400 invalid_json POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data '{"id":"dod","id":"dos","name":"Defense"}'
check "unknown field" 400 unknown_field POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data '{"id":"dod","name":"Defense","extra":1}'
check "missing field" 400 missing_field POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data '{"id":"dod"}'
check "wrong type" 400 invalid_field POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data '{"id":"dod","name":7}'
check "invalid org id" 400 invalid_field POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data '{"id":"Bad Id!","name":"Defense"}'
printf '{"id":"dod","name":"Def\xff\xfeense"}' >"$T_DIR/bad-utf8.json"
check "invalid UTF-8" 400 invalid_json POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data-binary "@$T_DIR/bad-utf8.json"
check "NUL in a string" 400 invalid_field POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data '{"id":"dod","name":"De\u0000fense"}'
check "huge number" 400 invalid_field GET "/api/v1/members?limit=99999999999999999999999" "${auth[@]}"
check "huge number in a body" 400 invalid_field POST /api/v1/auth/login "${json[@]}" \
	--data '{"handle":"admin","auth_key":"AAAA","totp":123456789012345678901234567890}'
check "wrong content type" 415 unsupported_media_type POST /api/v1/orgs "${auth[@]}" \
	-H "Content-Type: text/plain" --data '{"id":"dod","name":"Defense"}'
head -c 70000 /dev/zero | tr '\0' 'a' | sed 's/^/{"id":"dod","name":"/; s/$/"}/' >"$T_DIR/big.json"
check "oversize body" 413 too_large POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data-binary "@$T_DIR/big.json"
check "string over its limit" 400 invalid_field POST /api/v1/orgs "${auth[@]}" "${json[@]}" \
	--data "{\"id\":\"dod\",\"name\":\"$(head -c 300 /dev/zero | tr '\0' 'n')\"}"
check "bad base64" 400 invalid_field POST /api/v1/auth/login "${json[@]}" \
	--data '{"handle":"admin","auth_key":"not base64!"}'
check "unknown path" 404 not_found GET /api/v1/nowhere "${auth[@]}"
check "wrong method" 405 method_not_allowed DELETE /api/v1/orgs "${auth[@]}"
grep -qi '^allow:' <(curl -sS -D - -o /dev/null -X DELETE "${auth[@]}" "$T_URL/api/v1/orgs") ||
	fail "405 without an Allow header"
ok "405 carries an Allow header"
check "no session" 401 unauthenticated GET /api/v1/orgs
check "forged token" 401 unauthenticated GET /api/v1/orgs \
	-H "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

db_snapshot "$T_DIR/after.sql"
cmp -s "$T_DIR/before.sql" "$T_DIR/after.sql" || {
	diff "$T_DIR/before.sql" "$T_DIR/after.sql" | head -20 >&2
	fail "bad input changed storage"
}
ok "none of the refused requests changed storage"

headers=$(curl -sS -D - -o /dev/null "$T_URL/api/v1/health")
for h in content-security-policy x-content-type-options referrer-policy x-frame-options cache-control; do
	grep -qi "^$h:" <<<"$headers" || fail "missing security header $h"
done
ok "responses carry the security headers"

if grep -qF "$token" "$T_LOG"; then
	fail "the session token reached the server log"
fi
ok "the session token never reaches the log"

# Plain http to a host that is not loopback by name or address (0.0.0.0,
# which Linux still connects to this machine) needs --insecure-http, which
# `server set` remembers for that server.
remote="http://0.0.0.0:$(cat "$T_DIR/port")"
mkdir -p -m 0700 "$T_DIR/home-remote"
expect_exit 2 env DISSENT_HOME="$T_DIR/home-remote" "$DISSENT" server set "$remote"
grep -q "refusing plain http://" "$T_DIR/last.err" || fail "plain http: $(cat "$T_DIR/last.err")"
DISSENT_HOME="$T_DIR/home-remote" "$DISSENT" server set "$remote" --insecure-http >/dev/null 2>&1 ||
	fail "server set --insecure-http"
DISSENT_HOME="$T_DIR/home-remote" "$DISSENT" server health >/dev/null ||
	fail "the remembered --insecure-http was not used"
DISSENT_HOME="$T_DIR/home-remote" "$DISSENT" server show | grep -q "Plain HTTP" ||
	fail "server show does not say plain http is allowed"
ok "plain http to another machine needs --insecure-http, remembered by server set"

t_finish

#!/bin/bash
# Unauthenticated endpoints are rate-limited per address; auth/params gives
# an unknown handle a decoy that looks like a real answer.
. "$(dirname "$0")/lib.sh"

t_init
t_start --set rate_limit_per_minute=5

real=$(api POST /api/v1/auth/params -H "Content-Type: application/json" --data '{"handle":"admin"}')
[ "${real%% *}" = 200 ] || fail "params for admin: $real"
decoy1=$(api POST /api/v1/auth/params -H "Content-Type: application/json" --data '{"handle":"ghost"}')
decoy2=$(api POST /api/v1/auth/params -H "Content-Type: application/json" --data '{"handle":"ghost"}')
[ "${decoy1%% *}" = 200 ] || fail "params for an unknown handle: $decoy1"
[ "$decoy1" = "$decoy2" ] || fail "the decoy is not stable: $decoy1 / $decoy2"
grep -q '"salt"' <<<"$decoy1" || fail "decoy lacks a salt"
ok "an unknown handle gets a stable decoy shaped like a real answer"

limited=0
for _ in $(seq 1 8); do
	out=$(api POST /api/v1/auth/params -H "Content-Type: application/json" --data '{"handle":"ghost"}')
	if [ "${out%% *}" = 429 ]; then
		limited=1
		grep -q '"code":"rate_limited"' "$T_DIR/api.body" || fail "429 without rate_limited code"
		break
	fi
done
[ "$limited" = 1 ] || fail "no 429 after exceeding the per-address limit"
curl -sS -D - -o /dev/null -H "Content-Type: application/json" --data '{"handle":"ghost"}' \
	"$T_URL/api/v1/auth/params" | grep -qi '^retry-after:' || fail "429 without Retry-After"
ok "the per-address limit answers 429 with Retry-After"

out=$(api GET /api/v1/health)
[ "${out%% *}" = 200 ] || fail "health is rate-limited: $out"
ok "health stays available"

t_finish

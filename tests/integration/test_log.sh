#!/bin/bash
# The channel log end to end: every directory change is logged in order,
# the CLI verifies and records the server's signed tree head, `key show`
# finds the keys it shows in the log, and `dissent audit` checks the whole
# log, then only what is new.
. "$(dirname "$0")/lib.sh"

# first_int FILE KEY: the first integer value of "KEY" in the JSON in FILE.
first_int() {
	grep -o "\"$2\":[0-9]*" "$1" | head -n 1 | cut -d: -f2
}

# types FILE: the "type" values of FILE's entries, space-separated.
types() {
	grep -o '"type":"[a-z_]*"' "$1" | cut -d'"' -f4 | tr '\n' ' '
}

t_admin_ready
as admin org create usaid "U.S. Agency for International Development" >/dev/null
add_member alice state member
add_member bob usaid member,coordinator
login alice
login bob
as alice key rotate --password-fd 3 --recovery-code-file "$T_DIR/alice.recovery2" \
	3< <(password_of alice; echo) >/dev/null
as admin member suspend bob >/dev/null
as admin member reinstate bob >/dev/null
as admin member update alice --roles member,principal >/dev/null
as admin member update bob --eligible no >/dev/null
login bob

want="org_created member_created member_enrolled org_created member_created member_enrolled member_created member_enrolled keys_rotated member_suspended member_reinstated roles_changed eligibility_changed "
nwant=13

as admin log head --json >"$T_DIR/head.json"
[ "$(first_int "$T_DIR/head.json" size)" = "$nwant" ] ||
	fail "log head: $(cat "$T_DIR/head.json")"
as admin log head >"$T_DIR/head.txt"
grep -q "^Tree size *$nwant entries" "$T_DIR/head.txt" || fail "log head text: $(cat "$T_DIR/head.txt")"
grep -q "verified with the pinned server key" "$T_DIR/head.txt" || fail "log head text"
ok "log head shows the verified signed tree head of every change"

as alice log entries --json >"$T_DIR/entries.json"
[ "$(types "$T_DIR/entries.json")" = "$want" ] ||
	fail "log entries: $(types "$T_DIR/entries.json")"
alice_id=$(as admin member show alice --json | grep -o '"id":"m_[0-9a-f]*"' | cut -d'"' -f4)
bob_id=$(as admin member show bob --json | grep -o '"id":"m_[0-9a-f]*"' | cut -d'"' -f4)
grep -q "{\"index\":8,\"type\":\"keys_rotated\",\"time\":[0-9]*,\"member_id\":\"$alice_id\",\"epoch\":2," \
	"$T_DIR/entries.json" || fail "alice's rotation not logged as entry 8"
grep -q "{\"index\":12,\"type\":\"eligibility_changed\",\"time\":[0-9]*,\"member_id\":\"$bob_id\",\"eligible\":false}" \
	"$T_DIR/entries.json" || fail "bob's eligibility change not logged as entry 12"
grep -q "\"index\":11,\"type\":\"roles_changed\",\"time\":[0-9]*,\"member_id\":\"$alice_id\",\"roles\":\[\"member\",\"principal\"\]" \
	"$T_DIR/entries.json" || fail "alice's roles not logged"
as alice log entries --start 9 --count 2 >"$T_DIR/entries.txt"
[ "$(wc -l <"$T_DIR/entries.txt")" -eq 2 ] || fail "paged entries: $(cat "$T_DIR/entries.txt")"
grep -q "^9 .*member_suspended  *$bob_id$" "$T_DIR/entries.txt" || fail "entry 9: $(cat "$T_DIR/entries.txt")"
grep -q "^10 .*member_reinstated  *$bob_id$" "$T_DIR/entries.txt" || fail "entry 10"
as alice log entries --start 50 --json | grep -q '"entries":\[\]' || fail "entries beyond the log"
ok "log entries lists every change in order, decoded, and pages"

as admin audit --json >"$T_DIR/audit1.json"
grep -q '"ok":true' "$T_DIR/audit1.json" || fail "audit: $(cat "$T_DIR/audit1.json")"
grep -q '"totals":{"org_created":2,"member_created":3,"member_enrolled":3,"keys_rotated":1,"member_suspended":1,"member_reinstated":1,"roles_changed":1,"eligibility_changed":1}' \
	"$T_DIR/audit1.json" || fail "audit counts: $(cat "$T_DIR/audit1.json")"
grep -q '"members":{"total":3,"active":3,"pending":0,"suspended":0}' "$T_DIR/audit1.json" ||
	fail "audit members: $(cat "$T_DIR/audit1.json")"
grep -q '"orgs":2' "$T_DIR/audit1.json" || fail "audit orgs"
grep -q '"from":0,"new_entries":13,"previous":null' "$T_DIR/audit1.json" || fail "first audit range"
[ "$(grep -o '"member_id":"m_[0-9a-f]*","epoch":[0-9]*' "$T_DIR/audit1.json" | wc -l)" -eq 4 ] ||
	fail "audit key changes: $(cat "$T_DIR/audit1.json")"
grep -q '"memo_compliance":"no memo events yet"' "$T_DIR/audit1.json" || fail "memo line"
ok "audit checks the whole log and reports counts, members and key changes"

as admin member create --handle carl --name "Carl" --org usaid --roles member \
	--code-file "$T_DIR/carl.code" >/dev/null
as admin audit --json >"$T_DIR/audit2.json"
grep -q '"from":13,"new_entries":1,"previous":{"size":13,' "$T_DIR/audit2.json" ||
	fail "second audit not incremental: $(cat "$T_DIR/audit2.json")"
grep -q '"counts":{"org_created":0,"member_created":1,' "$T_DIR/audit2.json" || fail "second audit counts"
grep -q '"members":{"total":4,"active":3,"pending":1,"suspended":0}' "$T_DIR/audit2.json" ||
	fail "second audit members"
as admin audit >"$T_DIR/audit3.txt"
grep -q "^No new entries; tree size 14" "$T_DIR/audit3.txt" || fail "third audit: $(cat "$T_DIR/audit3.txt")"
grep -q "^Consistent with the tree head audited on .* (size 14)" "$T_DIR/audit3.txt" || fail "third audit"
grep -q "^Memo compliance: no memo events yet" "$T_DIR/audit3.txt" || fail "memo line"
grep -q "^Audit OK" "$T_DIR/audit3.txt" || fail "third audit OK"
ok "a second audit reads only the new entries; a third finds none"

as bob audit --state "$T_DIR/bob-audit.json" --json >"$T_DIR/audit4.json"
grep -q '"from":0,"new_entries":14' "$T_DIR/audit4.json" || fail "audit with --state: $(cat "$T_DIR/audit4.json")"
[ "$(stat -c %a "$T_DIR/bob-audit.json")" = 600 ] || fail "audit state file mode"
ok "audit --state keeps its own state, from the start"

as alice key show bob >"$T_DIR/keyshow.txt"
grep -q "^In the log *entry 7, in the signed tree head of size 14" "$T_DIR/keyshow.txt" ||
	fail "key show bob: $(cat "$T_DIR/keyshow.txt")"
as bob key show alice --json | grep -q '"log_verified":{"index":8,"tree_size":14}' ||
	fail "key show alice: rotated keys not found at entry 8"
as alice key show >/dev/null
ok "key show finds the keys it shows in the log"

as alice log verify >"$T_DIR/verify.txt"
grep -q "^OK: the log of $T_URL (size 14) extends the tree head seen on" "$T_DIR/verify.txt" ||
	fail "log verify: $(cat "$T_DIR/verify.txt")"
[ "$(stat -c %a "$T_DIR/home-alice/log-heads.json")" = 600 ] || fail "log-heads.json mode"
grep -q "^{\"$T_URL\":{\"head\":{.*\"size\":14,.*},\"seen_at\":[0-9]*,\"server_sign_pk\":" \
	"$T_DIR/home-alice/log-heads.json" || fail "log-heads.json: $(cat "$T_DIR/home-alice/log-heads.json")"
ok "log verify checks the recorded head; the head is recorded per server, mode 0600"

t_finish

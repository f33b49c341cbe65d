#!/bin/bash
# Anonymous co-signatures through the real CLI against a real dissentd: 40
# members of one organisation are eligible for a memo; 30 sign it
# anonymously (each checking the memo's eligible set against the log first
# and posting without a session) and 5 by name.  The counts are right; a
# second anonymous signature by the same member is refused, whether the
# client re-posts its saved signature or makes a fresh one; a member of
# another organisation is not in the ring.  An edit makes every signature
# stale and re-signing over the saved ring works; an anonymous withdrawal
# drops the count.  Submission freezes 5 named and 30 anonymous signatures
# and the receipt carries both; `dissent memo verify` re-verifies
# everything as the drafter, as a coordinator and as an auditor, and fails
# once a stored anonymous signature is tampered with in SQLite, as signing
# fails once a memo's stored eligible set is.  The database holds no member
# id beside an anonymous signature.
. "$(dirname "$0")/lib.sh"

N=40
N_ANON=30
N_NAMED=5

# run_parallel N FUNC ARG...: FUNC ARG for every ARG, at most N at once
# (each job writes its own log); fails, once all are done, if any failed.
run_parallel() {
	local n=$1 fn=$2 a i bad=0
	local -a pids=() args=()
	shift 2
	for a in "$@"; do
		"$fn" "$a" >"$T_DIR/job-$fn-$a.log" 2>&1 &
		pids+=($!)
		args+=("$a")
		if [ "${#pids[@]}" -ge "$n" ]; then
			wait "${pids[0]}" || {
				echo "$fn ${args[0]}: $(tail -n 3 "$T_DIR/job-$fn-${args[0]}.log")" >&2
				bad=1
			}
			pids=("${pids[@]:1}")
			args=("${args[@]:1}")
		fi
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || {
			echo "$fn ${args[$i]}: $(tail -n 3 "$T_DIR/job-$fn-${args[$i]}.log")" >&2
			bad=1
		}
	done
	[ "$bad" -eq 0 ] || fail "$fn failed for some of: $*"
}

# has PATTERN: standard input matches PATTERN (reading all of it, so that
# the writer never dies of SIGPIPE under pipefail).
has() {
	grep -e "$1" >/dev/null
}

# counts HANDLE MEMO: the memo's "counts" object as HANDLE sees it.
counts() {
	as "$1" memo status "$2" --json | grep -o '"counts":{[^}]*}'
}

# sql SQL: a statement on the running server's database.
sql() {
	sqlite3 -cmd '.timeout 5000' "$T_DATA/dissent.db" "$1"
}

t_admin_ready --set rate_limit_per_minute=0 --set log_head_interval_ms=20
as admin org create usaid "U.S. Agency for International Development" >/dev/null
for s in dr:state:member coord:state:member,coordinator \
	aud:state:member,auditor out:usaid:member; do
	IFS=: read -r who org roles <<<"$s"
	add_member "$who" "$org" "$roles"
	login "$who"
done
MEMBERS=()
for i in $(seq 1 "$N"); do
	who=$(printf 'a%02d' "$i")
	as admin member create --handle "$who" --name "Member $who" --org state \
		--roles member --code-file "$T_DIR/$who.code" >/dev/null
	MEMBERS+=("$who")
done
member_ready() {
	as "$1" server set "$T_URL" >/dev/null
	enroll "$1" "$T_DIR/$1.code"
	login "$1"
}
run_parallel 4 member_ready "${MEMBERS[@]}"
as coord channel init >/dev/null
ok "$N members of state, its staff and a member of usaid are enrolled"

printf 'Reconsider\n' >"$T_DIR/title.txt"
printf '# Reconsider\n\nThe policy should change.\n' >"$T_DIR/body.md"
M=$(as dr memo new --title-file "$T_DIR/title.txt" --topic policy \
	--marking SBU --orgs state --body-file "$T_DIR/body.md")
[[ "$M" =~ ^d_[0-9a-f]{24}$ ]] || fail "memo new printed: $M"
expect_exit 6 as dr memo ring "$M"
grep -q no_ring "$T_DIR/last.err" || fail "a draft's ring: $(cat "$T_DIR/last.err")"
as dr memo open "$M" >/dev/null
# The eligible set: every active, eligible member of state (the members,
# the drafter, the coordinator, the auditor, and the admin if eligible).
as admin member list --org state --limit 500 --json >"$T_DIR/state.json"
WANT=$(grep -o '"eligible":true,"status":"active"' "$T_DIR/state.json" | wc -l)
# A member of state who joins after the memo opened is not in its ring.
add_member late state member
login late
for who in "${MEMBERS[@]}" late; do
	as dr memo invite "$M" "$who" >/dev/null
done
ok "a drafter opens a memo for state and invites the $N members and one who joined later"

as a01 memo ring "$M" --json >"$T_DIR/ring.json"
grep -q '"verified":true' "$T_DIR/ring.json" || fail "ring: $(cat "$T_DIR/ring.json")"
[ "$(json_int "$T_DIR/ring.json" eligible)" -eq "$WANT" ] ||
	fail "the eligible set has $(json_int "$T_DIR/ring.json" eligible) members, the directory $WANT"
grep -q "$(as admin member show out --json | grep -o '"id":"m_[0-9a-f]*"' | cut -d'"' -f4)" \
	"$T_DIR/ring.json" && fail "a member of usaid is in the ring"
as a01 memo ring "$M" >"$T_DIR/ring.txt"
grep -q "^Eligible  *$WANT members" "$T_DIR/ring.txt" || fail "ring: $(cat "$T_DIR/ring.txt")"
ok "the memo's eligible set ($WANT members) checks against the log"

anon_sign() {
	as "$1" memo sign "$M" --anonymous --yes
}
named_sign() {
	as "$1" memo sign "$M" --yes
}
ANON=("${MEMBERS[@]:0:N_ANON}")
NAMED=("${MEMBERS[@]:N_ANON:N_NAMED}")
run_parallel 4 anon_sign "${ANON[@]}"
run_parallel 4 named_sign "${NAMED[@]}"
counts dr "$M" | has "\"named\":$N_NAMED,\"named_stale\":0,\"anonymous\":$N_ANON,\"anonymous_stale\":0" ||
	fail "counts: $(counts dr "$M")"
LOG1="$T_DIR/job-anon_sign-a01.log"
grep -q "Signed version 1 of memo $M anonymously, as one of $WANT members" "$LOG1" ||
	fail "a01's signing: $(cat "$LOG1")"
grep -q "below the instance's minimum of 50" "$LOG1" || fail "no warning: $(cat "$LOG1")"
grep -q "post through Tor or a trusted proxy" "$LOG1" || fail "no caveat: $(cat "$LOG1")"
grep -q "Posting without your session" "$LOG1" || fail "no progress: $(cat "$LOG1")"
SAVED="$T_DIR/home-a01/anonymous/$M.json"
[ "$(stat -c %a "$SAVED")" = 600 ] || fail "the saved signature is mode $(stat -c %a "$SAVED")"
ok "$N_ANON members sign anonymously and $N_NAMED by name: counts named $N_NAMED, anonymous $N_ANON"

expect_exit 6 as a01 memo sign "$M" --anonymous --yes
grep -q already_signed "$T_DIR/last.err" || fail "double: $(cat "$T_DIR/last.err")"
cmp -s "$SAVED" "$T_DIR/home-a01/anonymous/$M.json" || fail "the saved file changed"
mv "$SAVED" "$T_DIR/a01.saved"
expect_exit 6 as a01 memo sign "$M" --anonymous --yes
grep -q already_signed "$T_DIR/last.err" || fail "fresh double: $(cat "$T_DIR/last.err")"
[ ! -e "$SAVED" ] || fail "a refused signature was kept"
mv "$T_DIR/a01.saved" "$SAVED"
expect_exit 4 as late memo sign "$M" --anonymous --yes
grep -q not_eligible "$T_DIR/last.err" || fail "late: $(cat "$T_DIR/last.err")"
counts dr "$M" | has "\"anonymous\":$N_ANON," || fail "counts moved: $(counts dr "$M")"
ok "a second anonymous signature by one member is refused (saved or fresh); a member who joined after the memo opened is not in its ring"

# The server stores nothing that names an anonymous signer.
sqlite3 -cmd '.timeout 5000' "$T_DATA/dissent.db" ".dump memo_anon_signatures" >"$T_DIR/anon.sql"
[ "$(grep -c '^INSERT' "$T_DIR/anon.sql")" -eq "$N_ANON" ] || fail "rows: $(grep -c '^INSERT' "$T_DIR/anon.sql")"
: >"$T_DIR/ids"
for who in "${MEMBERS[@]}"; do
	id=$(as admin member show "$who" --json | grep -o '"id":"m_[0-9a-f]*"' | cut -d'"' -f4)
	echo "$id" >>"$T_DIR/ids"
	printf '%s' "$id" | od -An -tx1 | tr -d ' \n' >>"$T_DIR/ids"
	echo >>"$T_DIR/ids"
done
if grep -a -i -q -F -f "$T_DIR/ids" "$T_DIR/anon.sql"; then
	fail "memo_anon_signatures holds a member id"
fi
sql "SELECT sql FROM sqlite_master WHERE name = 'memo_anon_signatures'" >"$T_DIR/schema"
grep -q -i 'member' "$T_DIR/schema" && fail "memo_anon_signatures has a member column"
grep -a -i -q -F -f "$T_DIR/ids" "$T_DIR/anon.sql" "$T_DIR/ids" ||
	fail "the search cannot hit"
ok "the anonymous signatures' rows hold no member id (as text or blob) and have no member column"

printf '# Reconsider\n\nThe policy should change now.\n' >"$T_DIR/body2.md"
as dr memo edit "$M" --body-file "$T_DIR/body2.md" >/dev/null
counts dr "$M" | has "\"named\":0,\"named_stale\":$N_NAMED,\"anonymous\":0,\"anonymous_stale\":$N_ANON" ||
	fail "counts after the edit: $(counts dr "$M")"
cp "$SAVED" "$T_DIR/a01.v1"
run_parallel 4 anon_sign "${ANON[@]}"
run_parallel 4 named_sign "${NAMED[@]}"
counts dr "$M" | has "\"named\":$N_NAMED,\"named_stale\":0,\"anonymous\":$N_ANON,\"anonymous_stale\":0" ||
	fail "counts after re-signing: $(counts dr "$M")"
grep -q 'signing version 2 over the same ring' "$T_DIR/job-anon_sign-a01.log" ||
	fail "re-sign: $(cat "$T_DIR/job-anon_sign-a01.log")"
grep -o '"ring":\[[^]]*\]' "$T_DIR/a01.v1" >"$T_DIR/ring.v1"
grep -o '"ring":\[[^]]*\]' "$SAVED" >"$T_DIR/ring.v2"
cmp -s "$T_DIR/ring.v1" "$T_DIR/ring.v2" || fail "the re-signature uses another ring"
grep -q '"version":2,' "$SAVED" || fail "the saved signature is not for version 2"
ok "an edit makes all signatures stale; re-signing over the saved rings restores the counts"

as a30 memo unsign "$M" --anonymous >"$T_DIR/unsign.out" 2>"$T_DIR/unsign.err" ||
	fail "unsign: $(cat "$T_DIR/unsign.err")"
grep -q "it has $((N_ANON - 1)) anonymous signatures" "$T_DIR/unsign.out" ||
	fail "unsign: $(cat "$T_DIR/unsign.out")"
[ ! -e "$T_DIR/home-a30/anonymous/$M.json" ] || fail "the saved file remains"
counts dr "$M" | has "\"anonymous\":$((N_ANON - 1)),\"anonymous_stale\":0" ||
	fail "counts after the withdrawal: $(counts dr "$M")"
expect_exit 5 as a30 memo unsign "$M" --anonymous
anon_sign a30 >/dev/null 2>&1 || fail "a30 cannot sign again"
counts dr "$M" | has "\"anonymous\":$N_ANON," || fail "counts: $(counts dr "$M")"
ok "an anonymous withdrawal drops the count to $((N_ANON - 1)); signing again restores it"

as dr memo verify "$M" --json >"$T_DIR/verify-open.json" ||
	fail "verify: $(cat "$T_DIR/verify-open.json")"
grep -q "\"anonymous\":{\"current\":$N_ANON,\"stale\":0}" "$T_DIR/verify-open.json" ||
	fail "verify: $(cat "$T_DIR/verify-open.json")"
as dr memo submit "$M" --yes >"$T_DIR/submit.txt"
grep -q "^Signatures  *$N_NAMED named, $N_ANON anonymous" "$T_DIR/submit.txt" ||
	fail "submit: $(cat "$T_DIR/submit.txt")"
as dr memo receipt "$M" --json >"$T_DIR/receipt.json"
grep -q "\"named\":$N_NAMED,\"anonymous\":$N_ANON," "$T_DIR/receipt.json" ||
	fail "receipt: $(cat "$T_DIR/receipt.json")"
counts aud "$M" | has "\"named\":$N_NAMED,\"named_stale\":0,\"anonymous\":$N_ANON,\"anonymous_stale\":0" ||
	fail "frozen counts: $(counts aud "$M")"
expect_exit 6 as a02 memo unsign "$M" --anonymous
expect_exit 6 as a40 memo sign "$M" --anonymous --yes
ok "submission freezes $N_NAMED named and $N_ANON anonymous signatures; the verified receipt carries both"

as dr memo verify "$M" >"$T_DIR/verify-dr.txt" || fail "verify as the drafter"
grep -q "^Package  *matches the submission receipt" "$T_DIR/verify-dr.txt" ||
	fail "verify: $(cat "$T_DIR/verify-dr.txt")"
grep -q "^Named  *$N_NAMED current, 0 stale" "$T_DIR/verify-dr.txt" ||
	fail "verify: $(cat "$T_DIR/verify-dr.txt")"
as coord memo verify "$M" --json >"$T_DIR/verify-coord.json" ||
	fail "verify as the coordinator: $(cat "$T_DIR/verify-coord.json")"
grep -q '"records":"verified"' "$T_DIR/verify-coord.json" ||
	fail "coordinator: $(cat "$T_DIR/verify-coord.json")"
grep -q '"package":"matches the submission receipt"' "$T_DIR/verify-coord.json" ||
	fail "coordinator: $(cat "$T_DIR/verify-coord.json")"
as aud memo verify "$M" --json >"$T_DIR/verify-aud.json" ||
	fail "verify as the auditor: $(cat "$T_DIR/verify-aud.json")"
grep -q "\"anonymous\":{\"current\":$N_ANON,\"stale\":0},\"named\":{\"records\":\"hidden\"" \
	"$T_DIR/verify-aud.json" || fail "auditor: $(cat "$T_DIR/verify-aud.json")"
as dr memo signers "$M" | has "the list matches the submission receipt" ||
	fail "memo signers' package check misses the anonymous signatures"
ok "memo verify re-verifies the ring, every signature, the counts and the package as drafter, coordinator and auditor"

# Tamper with one stored anonymous signature: its first response scalar
# becomes zero (still well formed).
TAG=$(sql "SELECT hex(tag) FROM memo_anon_signatures WHERE memo_id = '$M' ORDER BY tag LIMIT 1")
SIG=$(sql "SELECT hex(signature) FROM memo_anon_signatures WHERE memo_id = '$M' AND tag = X'$TAG'")
BAD="${SIG:0:64}$(printf '0%.0s' $(seq 1 64))${SIG:128}"
[ "${#BAD}" -eq "${#SIG}" ] && [ "$BAD" != "$SIG" ] || fail "cannot tamper"
sql "UPDATE memo_anon_signatures SET signature = X'$BAD' WHERE memo_id = '$M' AND tag = X'$TAG'"
for who in dr coord aud; do
	expect_exit 9 as "$who" memo verify "$M"
	grep -q "does not verify" "$T_DIR/last.err" || fail "$who: $(cat "$T_DIR/last.err")"
done
ok "after a stored anonymous signature is altered, memo verify fails (exit 9) for each of them"

# A second memo whose stored eligible set loses a member: signing refuses.
M2=$(as dr memo new --title-file "$T_DIR/title.txt" --topic policy \
	--marking SBU --orgs state --body-file "$T_DIR/body.md")
as dr memo open "$M2" >/dev/null
as dr memo invite "$M2" a01 >/dev/null
A40=$(as admin member show a40 --json | grep -o '"id":"m_[0-9a-f]*"' | cut -d'"' -f4)
sql "DELETE FROM memo_ring_members WHERE memo_id = '$M2' AND member_id = '$A40'"
expect_exit 9 as a01 memo sign "$M2" --anonymous --yes
grep -q "leaves members out" "$T_DIR/last.err" || fail "tampered ring: $(cat "$T_DIR/last.err")"
expect_exit 9 as a01 memo ring "$M2"
[ ! -e "$T_DIR/home-a01/anonymous/$M2.json" ] || fail "a signature was saved"
counts dr "$M2" | has '"anonymous":0,' || fail "a signature was posted"
ok "an eligible set the log does not show (a member dropped in the database) is refused before signing (exit 9)"

# Above the configured largest ring, the signer draws a subset that holds
# them; its verification is the same.
t_stop
t_start --set rate_limit_per_minute=0 --set log_head_interval_ms=20 \
	--set ring_max=8 --set ring_min_warn=4
# The server listens on another port now: log in to it.
login dr
login a07
M3=$(as dr memo new --title-file "$T_DIR/title.txt" --topic policy \
	--marking SBU --orgs state --body-file "$T_DIR/body.md")
as dr memo open "$M3" >/dev/null
as dr memo invite "$M3" a07 >/dev/null
as a07 memo sign "$M3" --anonymous --yes >"$T_DIR/sub.out" 2>"$T_DIR/sub.err" ||
	fail "subset: $(cat "$T_DIR/sub.err")"
grep -q "^Ring     8 members: your anonymity set" "$T_DIR/sub.err" ||
	fail "subset: $(cat "$T_DIR/sub.err")"
grep -q "below the instance's minimum" "$T_DIR/sub.err" && fail "a warning at 8 of 4"
[ "$(grep -o '"ring":\[[^]]*\]' "$T_DIR/home-a07/anonymous/$M3.json" | grep -o '"[A-Za-z0-9_-]\{43\}"' | wc -l)" -eq 8 ] ||
	fail "the saved ring is not 8 keys"
as dr memo verify "$M3" --json | has "\"anonymous\":{\"current\":1,\"stale\":0}" ||
	fail "the subset signature does not verify"
ok "with ring_max 8, a signer signs over a subset of 8 of the $WANT eligible members, which verifies"

t_finish

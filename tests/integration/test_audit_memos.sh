#!/bin/bash
# `dissent audit` and memo events against a real dissentd with a test
# clock: the audit rebuilds each memo's deadlines with the instance's
# profile, time zone and extra holidays (published by GET /instance) and
# finds the server's own due dates; a late acknowledgement with its
# deadline_missed event is reported late and consistent; a missed reply
# deadline whose event the scheduler had every chance to log but did not
# (its interval set to a day) is a finding (exit 10) until the scheduler
# logs it.  Then tampering with memo events in the SQLite file: an altered
# memo_submitted event (the audit fails; rewritten with its tree and
# re-signed, the CLI's consistency check fails), the newest memo event
# deleted, and the database rolled back to a copy taken before an
# acknowledgement (exit 9 each time, with a clear message).
. "$(dirname "$0")/lib.sh"

DB="$T_DATA/dissent.db"
CLOCK="$T_DIR/clock"
TZ_NAME=America/New_York

db() {
	sqlite3 "$DB" "$@"
}

# json_int FILE KEY: the first integer value of "KEY" in FILE.
json_int() {
	grep -o "\"$2\":[0-9]*" "$1" | head -n 1 | cut -d: -f2
}

# memo_of FILE ID: memo ID's part of the audit report in FILE.
memo_of() {
	grep -o "\"memo_id\":\"$2\".*" "$1" |
		sed 's/"escalated":\([a-z]*\).*/"escalated":\1/'
}

# deadline FILE ID NAME: "DUE STATUS" of deadline NAME of memo ID.
deadline() {
	memo_of "$1" "$2" |
		grep -o "\"$3\":{\"due\":[0-9]*,\"done_at\":[0-9a-z]*,\"status\":\"[a-z_]*\"" |
		sed 's/.*"due":\([0-9]*\),.*"status":"\([a-z_]*\)"/\1 \2/'
}

# server_due ID KIND: the server's due time KIND (ack, reply, escalation).
server_due() {
	as alice memo status "$1" --json >"$T_DIR/status.json"
	grep -o "\"due\":{[^}]*}" "$T_DIR/status.json" |
		grep -o "\"$2\":[0-9]*" | cut -d: -f2
}

# expect_deadline FILE ID NAME DUE STATUS
expect_deadline() {
	local got
	got=$(deadline "$1" "$2" "$3")
	[ "$got" = "$4 $5" ] ||
		fail "memo $2 $3: expected \"$4 $5\", got \"$got\" in $(memo_of "$1" "$2")"
}

# expect_message PATTERN: the last command's stderr must match PATTERN.
expect_message() {
	grep -q -- "$1" "$T_DIR/last.err" ||
		fail "expected \"$1\", got: $(cat "$T_DIR/last.err")"
}

# start [dissentd flags]: start on the port of the first start, or return 1
# if dissentd exits (its log in $T_DIR/start.err).
start() {
	rm -f "$T_DIR/port"
	"$DISSENTD" --data-dir "$T_DATA" --listen 127.0.0.1 --port "$PORT" \
		--port-file "$T_DIR/port" --log-level debug "${SETTINGS[@]}" "$@" \
		2>"$T_DIR/start.err" &
	T_PID=$!
	for _ in $(seq 1 200); do
		[ -s "$T_DIR/port" ] && return 0
		if ! kill -0 "$T_PID" 2>/dev/null; then
			wait "$T_PID" 2>/dev/null || true
			T_PID=""
			return 1
		fi
		sleep 0.05
	done
	fail "dissentd neither listened nor exited"
}

must_start() {
	start "$@" || fail "dissentd did not start: $(cat "$T_DIR/start.err")"
}

# restore FILE: replace the (stopped) server's database with the copy FILE.
restore() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	cp "$1" "$DB"
}

# sha HEX: the SHA-256 (hex) of the bytes HEX.
sha() {
	# shellcheck disable=SC2059 # the format is the bytes, as \xHH escapes
	printf "$(printf '%s' "$1" | sed 's/../\\x&/g')" | sha256sum | cut -d' ' -f1
}

# Three weekdays after today in the instance's zone: extra holidays that
# move the first deadlines, so an auditor without them would disagree.
HOLIDAYS=()
for d in $(seq 1 9); do
	day=$(TZ=$TZ_NAME date -d "+$d day" +%F)
	case $(TZ=$TZ_NAME date -d "$day 12:00" +%u) in
	6 | 7) ;;
	*) HOLIDAYS+=("$day") ;;
	esac
	[ "${#HOLIDAYS[@]}" -eq 3 ] && break
done
HOLIDAY_LIST=$(IFS=,; echo "${HOLIDAYS[*]}")

# The clock file does not exist yet: members enroll in real time.
SETTINGS=(--set test_clock_file="$CLOCK" --set time_zone="$TZ_NAME"
	--set holidays="$HOLIDAY_LIST" --set log_head_interval_ms=20)
t_admin_ready "${SETTINGS[@]}" --set scheduler_interval_ms=200
PORT=$(cat "$T_DIR/port")
add_member alice state member
add_member coord state member,coordinator
add_member aud state member,auditor
for who in alice coord aud; do
	login "$who"
done
as coord channel init >/dev/null

curl -sS "$T_URL/api/v1/instance" >"$T_DIR/instance.json"
grep -q "\"holidays\":\[\"${HOLIDAYS[0]}\",\"${HOLIDAYS[1]}\",\"${HOLIDAYS[2]}\"\]" \
	"$T_DIR/instance.json" || fail "instance: $(cat "$T_DIR/instance.json")"
grep -q '"scheduler_interval_ms":200' "$T_DIR/instance.json" || fail "no interval"
grep -q "\"time_zone\":\"$TZ_NAME\"" "$T_DIR/instance.json" || fail "no time zone"
ok "GET /instance publishes the profile, time zone, holidays and scheduler interval"

# From now on the server's time is the clock file's.
T0=$(date +%s)
echo "$T0" >"$CLOCK"
printf '# A\n\nBody.\n' >"$T_DIR/body.md"
# new_memo TITLE: alice's new draft; its id on stdout.
new_memo() {
	as alice memo new --title "$1" --topic policy --marking SBU \
		--body-file "$T_DIR/body.md" 2>>"$T_DIR/notes"
}

# submit ID: alice submits ID (its summary, on stderr, kept aside).
submit() {
	as alice memo submit "$1" --yes >/dev/null 2>>"$T_DIR/notes"
}
A=$(new_memo A)
submit "$A"
as coord channel ack "$A" >/dev/null
B=$(new_memo B)
submit "$B"
C=$(new_memo C)
as alice memo withdraw "$C" --yes >/dev/null 2>>"$T_DIR/notes"
D=$(new_memo D)
submit "$D"
as alice memo withdraw "$D" --yes >/dev/null 2>>"$T_DIR/notes"
sleep 0.3
as aud audit --json >"$T_DIR/audit1.json" || fail "audit: $(cat "$T_DIR/audit1.json")"
grep -q '"ok":true' "$T_DIR/audit1.json" || fail "audit 1 not ok"
grep -q '"memos_submitted":3' "$T_DIR/audit1.json" || fail "memos: $(cat "$T_DIR/audit1.json")"
memo_of "$T_DIR/audit1.json" "$C" | grep -q . && fail "a withdrawn draft is listed"
grep -q '"memo_submitted":3' "$T_DIR/audit1.json" || fail "submitted count"
grep -q '"memo_withdrawn":2' "$T_DIR/audit1.json" || fail "withdrawn count"
for kind in ack:acknowledgement reply:reply escalation:escalation; do
	IFS=: read -r k name <<<"$kind"
	due=$(server_due "$A" "$k")
	[ -n "$due" ] || fail "no server due date $k"
	expect_deadline "$T_DIR/audit1.json" "$A" "$name" "$due" \
		"$([ "$k" = ack ] && echo on_time || echo open)"
done
B_ACK_DUE=$(server_due "$B" ack)
expect_deadline "$T_DIR/audit1.json" "$B" acknowledgement "$B_ACK_DUE" open
expect_deadline "$T_DIR/audit1.json" "$D" acknowledgement "$(server_due "$D" ack)" none
as aud audit >"$T_DIR/audit1.txt"
grep -q "^  $A  *acknowledged  *on time  *open  *no$" "$T_DIR/audit1.txt" ||
	fail "report: $(cat "$T_DIR/audit1.txt")"
grep -q "^Audit OK.$" "$T_DIR/audit1.txt" || fail "not OK"
ok "the audit computes the server's due dates from the log, with the extra holidays"

# B's acknowledgement deadline passes: the scheduler logs it; then B is
# acknowledged late.
echo $((B_ACK_DUE + 3600)) >"$CLOCK"
login coord
login alice
login aud
for _ in $(seq 1 50); do
	as aud log entries --start 0 --count 1000 >"$T_DIR/entries.txt"
	grep -q deadline_missed "$T_DIR/entries.txt" && break
	sleep 0.1
done
B_REPLY_DUE0=$(server_due "$B" reply)
as coord channel ack "$B" >/dev/null
[ "$(server_due "$B" reply)" = "$B_REPLY_DUE0" ] || fail "a late ack moved the reply due date"
sleep 0.3
as aud audit --json >"$T_DIR/audit2.json" || fail "audit 2: $(cat "$T_DIR/audit2.json")"
expect_deadline "$T_DIR/audit2.json" "$B" acknowledgement "$B_ACK_DUE" late
expect_deadline "$T_DIR/audit2.json" "$B" reply "$B_REPLY_DUE0" open
memo_of "$T_DIR/audit2.json" "$B" |
	grep -q "\"acknowledgement\":{[^}]*\"logged\":{\"index\":[0-9]*,\"time\":[0-9]*,\"due\":$B_ACK_DUE},\"finding\":null" ||
	fail "B's logged event: $(memo_of "$T_DIR/audit2.json" "$B")"
grep -q '"finding_count":0' "$T_DIR/audit2.json" || fail "findings in audit 2"
ok "a late acknowledgement: its deadline_missed event matches, later deadlines do not move"

# The scheduler runs once a day only: A's reply deadline passes and another
# memo is submitted a week later, yet no deadline_missed event is logged.
A_REPLY_DUE=$(server_due "$A" reply)
t_stop
must_start --set scheduler_interval_ms=86400000
sleep 1
echo $((A_REPLY_DUE + 7 * 86400)) >"$CLOCK"
login alice
login aud
E=$(new_memo E)
submit "$E"
sleep 0.3
expect_exit 10 as aud audit --json
cp "$T_DIR/last.out" "$T_DIR/audit3.json"
grep -q '"ok":false' "$T_DIR/audit3.json" || fail "audit 3 ok"
grep -q '"slack_seconds":86460' "$T_DIR/audit3.json" || fail "slack: $(cat "$T_DIR/audit3.json")"
grep -q "{\"memo_id\":\"$A\",\"deadline\":\"reply\",\"finding\":\"absent\",\"index\":null" \
	"$T_DIR/audit3.json" || fail "no absent finding: $(cat "$T_DIR/audit3.json")"
expect_deadline "$T_DIR/audit3.json" "$A" reply "$A_REPLY_DUE" overdue
expect_exit 10 as aud audit
grep -q "^  $A: the reply deadline (due .*) was missed, but the log has no deadline_missed event for it$" \
	"$T_DIR/last.out" || fail "finding text: $(cat "$T_DIR/last.out")"
expect_message "the audit has [0-9]* compliance findings (compliance_findings)"
ok "a missed deadline the scheduler did not log is a finding (exit 10)"

# The scheduler back at its usual pace logs it: the finding is gone.
t_stop
must_start --set scheduler_interval_ms=200
for _ in $(seq 1 50); do
	as aud log entries --start 0 --count 1000 >"$T_DIR/entries.txt"
	[ "$(grep -c deadline_missed "$T_DIR/entries.txt")" -ge 2 ] && break
	sleep 0.1
done
sleep 0.3
as aud audit --json >"$T_DIR/audit4.json" || fail "audit 4: $(cat "$T_DIR/audit4.json")"
grep -q '"finding_count":0' "$T_DIR/audit4.json" || fail "findings remain"
expect_deadline "$T_DIR/audit4.json" "$A" reply "$A_REPLY_DUE" overdue
ok "once the scheduler logs the missed deadline, the audit agrees again"

# Tampering.  F is submitted; a copy of the database is taken before its
# acknowledgement; alice and the auditor see the acknowledgement.
login coord
F=$(new_memo F)
submit "$F"
t_stop
db ".backup '$T_DIR/before-ack.db'"
must_start
as coord channel ack "$F" >/dev/null
sleep 0.3
as alice memo status "$F" >/dev/null
as aud audit >/dev/null || fail "audit before tampering"
N=$(db "SELECT count(*) FROM log_entries")
t_stop
db ".backup '$T_DIR/pristine.db'"
ok "a log of $N entries with the memo events of six memos"

# (1) F's memo_submitted event altered (its count of named signatures),
# nothing else: the stored tree still has the signed root.
F_HEX=$(printf '%s' "$F" | od -An -tx1 | tr -d ' \n')
F_IDX=$(db "SELECT idx FROM log_entries
	WHERE substr(lower(hex(event)), 3, 4) = '0064'
	AND instr(lower(hex(event)), '$F_HEX') > 0")
[ -n "$F_IDX" ] || fail "F's memo_submitted entry not found"
hex=$(db "SELECT lower(hex(event)) FROM log_entries WHERE idx = $F_IDX")
# u8 version, u16 type, u64 time, str(memo id) = 41 bytes, u32 version, 32
# bytes of version hash: the named count's last byte is byte 80.
ALTERED=$(printf '%s%02x%s' "${hex:0:160}" $(( (16#${hex:160:2} + 1) % 256 )) "${hex:162}")
db "UPDATE log_entries SET event = X'$ALTERED' WHERE idx = $F_IDX"
if start; then
	expect_exit 9 as aud audit --state "$T_DIR/fresh-audit-1.json"
	expect_message "audit failed: the entries the server sent do not hash to the root of its signed tree head (size $N)"
	t_stop
	ok "an altered memo_submitted event: the audit fails, naming the cause"
else
	grep -q "log" "$T_DIR/start.err" || fail "refused for another reason: $(cat "$T_DIR/start.err")"
	ok "an altered memo_submitted event: the server refuses to start"
fi

# (1b) ... rewritten with its leaf hash and every stored node above it, and
# the signed heads deleted, so that the server signs the forged log anew.
restore "$T_DIR/pristine.db"
LEAF=$(sha "00$ALTERED")
db "UPDATE log_entries SET event = X'$ALTERED', leaf_hash = X'$LEAF' WHERE idx = $F_IDX;
    UPDATE log_nodes SET hash = X'$LEAF' WHERE level = 0 AND idx = $F_IDX;"
level=1
while :; do
	i=$((F_IDX >> level))
	[ "$(db "SELECT count(*) FROM log_nodes WHERE level = $level AND idx = $i")" -eq 1 ] || break
	left=$(db "SELECT lower(hex(hash)) FROM log_nodes WHERE level = $((level - 1)) AND idx = $((2 * i))")
	right=$(db "SELECT lower(hex(hash)) FROM log_nodes WHERE level = $((level - 1)) AND idx = $((2 * i + 1))")
	db "UPDATE log_nodes SET hash = X'$(sha "01$left$right")' WHERE level = $level AND idx = $i"
	level=$((level + 1))
done
db "DELETE FROM log_heads"
must_start
expect_exit 9 as alice log verify
expect_message "the server's log is inconsistent with the tree head seen on .* (size $N; the server now signs size $N): it may have been rolled back or forked (log_inconsistent)"
expect_exit 9 as alice memo status "$F"
expect_message "rolled back or forked"
expect_exit 9 as aud audit
expect_message "(size $N; the server now signs size $N): it may have been rolled back or forked"
t_stop
ok "a memo_submitted event rewritten with its tree and re-signed: every client that saw the log fails (exit 9)"

# (2) The newest memo event deleted, with its nodes.
restore "$T_DIR/pristine.db"
last=$((N - 1))
type=$((16#$(db "SELECT substr(lower(hex(event)), 3, 4) FROM log_entries WHERE idx = $last")))
[ "$type" -ge 100 ] || fail "the newest entry is not a memo event (type $type)"
db "PRAGMA foreign_keys = OFF;
    DELETE FROM log_entries WHERE idx = $last;
    DELETE FROM log_nodes WHERE ((idx + 1) << level) > $last;"
if start; then
	fail "dissentd started on a log shorter than its signed head"
fi
grep -q "the log holds $last entries but its latest signed tree head covers $N: entries were deleted" \
	"$T_DIR/start.err" || fail "refused for another reason: $(cat "$T_DIR/start.err")"
db "DELETE FROM log_heads WHERE size > $last"
must_start
expect_exit 9 as alice log verify
expect_message "(size $N; the server now signs size $last): it may have been rolled back or forked"
expect_exit 9 as aud audit
expect_message "rolled back or forked"
t_stop
ok "the newest memo event deleted: the server refuses to start; with its heads gone, the clients fail (exit 9)"

# (3) The database rolled back to the copy taken before F's acknowledgement.
restore "$T_DIR/before-ack.db"
must_start
expect_exit 9 as alice log verify
expect_message "the server's log is inconsistent with the tree head seen on .* (size $N; the server now signs size [0-9]*): it may have been rolled back or forked"
expect_exit 9 as alice memo status "$F"
expect_message "rolled back or forked"
expect_exit 9 as aud audit
expect_message "rolled back or forked"
t_stop
ok "a database rolled back to before an acknowledgement: the consistency check fails (exit 9)"

t_finish

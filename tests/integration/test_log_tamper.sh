#!/bin/bash
# Tampering with the channel log in the server's SQLite file, with the
# server stopped, is detected, each time for the right reason: an altered
# event (by the server's own check at start, or by `dissent audit` and the
# inclusion check of `key show`), deleted newest entries (at start, or by
# the CLI's consistency check), a database rolled back to an older copy
# (the CLI's consistency check, exit 9), and a member's keys swapped for
# other valid keys (`key show`, exit 9).
. "$(dirname "$0")/lib.sh"

DB="$T_DATA/dissent.db"

db() {
	sqlite3 "$DB" "$@"
}

# try_start: start dissentd on the port of the first start; return 0 once
# it listens, or 1 if it exits (its log in $T_DIR/start.err).
try_start() {
	rm -f "$T_DIR/port"
	"$DISSENTD" --data-dir "$T_DATA" --listen 127.0.0.1 --port "$PORT" \
		--port-file "$T_DIR/port" --log-level debug 2>"$T_DIR/start.err" &
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

start() {
	try_start || fail "dissentd did not start: $(cat "$T_DIR/start.err")"
}

# restore FILE: replace the (stopped) server's database with the copy FILE.
restore() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	cp "$1" "$DB"
}

# leaf_hash HEX: the RFC 9162 leaf hash (hex) of the leaf input HEX.
leaf_hash() {
	# shellcheck disable=SC2059 # the format is the bytes, as \xHH escapes
	printf "$(printf '00%s' "$1" | sed 's/../\\x&/g')" | sha256sum | cut -d' ' -f1
}

# altered_event IDX: the hex of entry IDX's event with its byte 10 (the
# last byte of its time, so that it stays a well-formed event) changed.
altered_event() {
	local hex
	hex=$(db "SELECT lower(hex(event)) FROM log_entries WHERE idx = $1")
	printf '%s%02x%s' "${hex:0:20}" $(( (16#${hex:20:2} + 1) % 256 )) "${hex:22}"
}

# expect_message PATTERN: the last command's stderr must match PATTERN.
expect_message() {
	grep -q -- "$1" "$T_DIR/last.err" ||
		fail "expected \"$1\", got: $(cat "$T_DIR/last.err")"
}

t_admin_ready
PORT=$(cat "$T_DIR/port")
as admin org create usaid "U.S. Agency for International Development" >/dev/null
add_member alice state member
add_member bob usaid member
add_member carl usaid member
login alice
as alice key show bob >/dev/null
as alice audit >/dev/null
N=$(db "SELECT count(*) FROM log_entries")
[ "$N" -eq 10 ] || fail "expected 10 log entries, found $N"
bob_id=$(db "SELECT id FROM members WHERE handle = 'bob'")
bob_enrolled=$(db "SELECT log_index FROM log_key_events WHERE member_id = '$bob_id'")
t_stop
db ".backup '$T_DIR/pristine.db'"
ok "a log of $N entries; bob's keys published at entry $bob_enrolled"

# (1) An event's bytes altered, its leaf hash left alone: the stored tree
# still has the signed root, so only the entries themselves betray it.
restore "$T_DIR/pristine.db"
db "UPDATE log_entries SET event = X'$(altered_event "$bob_enrolled")' WHERE idx = $bob_enrolled"
[ "$(db "SELECT hex(event) FROM log_entries WHERE idx = $bob_enrolled")" != \
  "$(sqlite3 "$T_DIR/pristine.db" "SELECT hex(event) FROM log_entries WHERE idx = $bob_enrolled")" ] ||
	fail "the event was not altered"
if try_start; then
	expect_exit 9 as alice audit --state "$T_DIR/fresh-audit-1.json"
	expect_message "audit failed: the entries the server sent do not hash to the root of its signed tree head (size $N)"
	expect_exit 9 as alice key show bob
	expect_message "the server presented keys for bob that the log does not contain (entry $bob_enrolled is not in the signed tree head)"
	as alice key show carl >/dev/null || fail "carl's keys are untouched"
	t_stop
	ok "an altered event: the audit and the key check fail, naming the cause"
else
	grep -q "log" "$T_DIR/start.err" || fail "refused for another reason: $(cat "$T_DIR/start.err")"
	ok "an altered event: the server refuses to start"
fi

# (1b) The event and its leaf hash altered together.
restore "$T_DIR/pristine.db"
last=$((N - 1))
new=$(altered_event "$last")
db "UPDATE log_entries SET event = X'$new', leaf_hash = X'$(leaf_hash "$new")' WHERE idx = $last"
if try_start; then
	expect_exit 9 as alice audit --state "$T_DIR/fresh-audit-1b.json"
	expect_message "audit failed: the entries the server sent do not hash to the root"
	t_stop
	ok "an altered event and leaf hash: the audit fails"
else
	grep -q "the log's root recomputed at size $N does not match its signed tree head: the log was altered" \
		"$T_DIR/start.err" || fail "refused for another reason: $(cat "$T_DIR/start.err")"
	ok "an altered event and leaf hash: the server refuses to start, saying the log was altered"
fi

# (1c) A stored node of the tree altered: the server's own check at start.
restore "$T_DIR/pristine.db"
db "UPDATE log_nodes SET hash = zeroblob(32)
	WHERE level = (SELECT max(level) FROM log_nodes)"
if try_start; then
	fail "dissentd started on a log whose tree was altered"
fi
grep -q "the log's root recomputed at size $N does not match its signed tree head: the log was altered" \
	"$T_DIR/start.err" || fail "refused for another reason: $(cat "$T_DIR/start.err")"
ok "an altered tree node: the server refuses to start, saying the log was altered"

# (2) The two newest entries and their nodes deleted, heads kept.
restore "$T_DIR/pristine.db"
keep=$((N - 2))
delete_newest() {
	db "PRAGMA foreign_keys = OFF;
	    DELETE FROM log_key_events WHERE log_index >= $keep;
	    DELETE FROM log_entries WHERE idx >= $keep;
	    DELETE FROM log_nodes WHERE ((idx + 1) << level) > $keep;"
}
delete_newest
if try_start; then
	fail "dissentd started on a log shorter than its signed head"
fi
grep -q "the log holds $keep entries but its latest signed tree head covers $N: entries were deleted" \
	"$T_DIR/start.err" || fail "refused for another reason: $(cat "$T_DIR/start.err")"
ok "deleted newest entries: the server refuses to start, saying entries were deleted"

# (2b) ... and the signed heads that covered them deleted too.
restore "$T_DIR/pristine.db"
delete_newest
db "DELETE FROM log_heads WHERE size > $keep"
start
expect_exit 9 as alice log verify
expect_message "the server's log is inconsistent with the tree head seen on .* (size $N; the server now signs size $keep): it may have been rolled back or forked (log_inconsistent)"
expect_exit 9 as alice whoami
expect_message "rolled back or forked"
grep -q "\"size\":$N," "$T_DIR/home-alice/log-heads.json" || fail "the recorded head was not kept"
t_stop
ok "deleted newest entries and heads: every command of a client that saw them fails (exit 9)"

# (4) Bob's keys swapped for carl's (valid keys) in the directory.
restore "$T_DIR/pristine.db"
carl_id=$(db "SELECT id FROM members WHERE handle = 'carl'")
db "UPDATE members SET (sign_pk, box_pk, ring_pk) =
	(SELECT sign_pk, box_pk, ring_pk FROM members WHERE id = '$carl_id')
	WHERE id = '$bob_id';
    UPDATE key_history SET (sign_pk, box_pk, ring_pk) =
	(SELECT sign_pk, box_pk, ring_pk FROM key_history WHERE member_id = '$carl_id' AND epoch = 1)
	WHERE member_id = '$bob_id' AND epoch = 1;"
start
expect_exit 9 as alice key show bob
expect_message "the server presented keys for bob that the log does not contain (entry $bob_enrolled publishes other keys at this epoch) (key_not_logged)"
as alice key show carl >/dev/null || fail "carl's keys are untouched"
as alice log verify >/dev/null || fail "the log itself is intact"
t_stop
ok "swapped keys: key show fails (exit 9), saying the log does not contain them"

# (3) A rollback: the clients see a larger log, then the old copy returns.
restore "$T_DIR/pristine.db"
start
as admin member create --handle dave --name "Dave" --org usaid --roles member \
	--code-file "$T_DIR/dave.code" >/dev/null
as admin member suspend carl >/dev/null
as alice log head >/dev/null
grep -q "\"size\":$((N + 2))," "$T_DIR/home-alice/log-heads.json" || fail "alice did not record the larger head"
t_stop
restore "$T_DIR/pristine.db"
start
expect_exit 9 as alice log verify
expect_message "the server's log is inconsistent with the tree head seen on .* (size $((N + 2)); the server now signs size $N): it may have been rolled back or forked"
expect_exit 9 as alice key show bob
expect_message "rolled back or forked"
expect_exit 9 as admin member list
expect_message "rolled back or forked"
ok "a database rolled back to an older copy: the consistency check fails (exit 9)"

t_finish

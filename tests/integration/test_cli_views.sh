#!/bin/bash
# What the CLI shows of the channel's work, through the real CLI against a
# real dissentd in New York's time zone: times and due dates in the
# instance's zone with the working days left, the inbox in pages with
# "N of TOTAL", distributions by handle and name with the director's
# approval mentioned only when something waits for it, meeting times read
# and shown in the zone, and the log's memo events decoded.
. "$(dirname "$0")/lib.sh"

t_admin_ready --set standard_principals=prin --set time_zone=America/New_York
add_member alice state member
add_member coord state member,coordinator
add_member prin state member,principal
add_member prin2 state member,principal
add_member aud state member,auditor
for who in alice coord prin prin2 aud; do
	login "$who"
done
as coord channel init >/dev/null
printf '# A memo\n\nThe policy should change.\n' >"$T_DIR/body.md"

# new_memo TITLE: alice writes a memo and submits it; prints its id.
new_memo() {
	local id
	id=$(as alice memo new --title "$1" --topic policy --marking SBU \
		--body-file "$T_DIR/body.md" 2>>"$T_DIR/notes")
	as alice memo submit "$id" --yes >/dev/null 2>>"$T_DIR/notes"
	echo "$id"
}
A=$(new_memo A)
B=$(new_memo B)

as alice memo status "$A" >"$T_DIR/status.txt"
grep -Eq '^Ack due +[0-9]{4}-[0-9]{2}-[0-9]{2} 23:59:59 America/New_York \(in [0-9]+ working days?\)$' \
	"$T_DIR/status.txt" || fail "ack due: $(cat "$T_DIR/status.txt")"
grep -Eq '^Escalation +[0-9-]{10} 23:59:59 America/New_York$' "$T_DIR/status.txt" ||
	fail "escalation: $(cat "$T_DIR/status.txt")"
grep -Eq '^Submitted +[0-9-]{10} [0-9:]{8} America/New_York$' "$T_DIR/status.txt" ||
	fail "submitted: $(cat "$T_DIR/status.txt")"
DUE=$(as alice memo status "$A" --json | grep -o '"ack":[0-9]*' | cut -d: -f2)
LOCAL=$(TZ=America/New_York date -d "@$DUE" '+%F %T')
grep -q "^Ack due  *$LOCAL America/New_York " "$T_DIR/status.txt" ||
	fail "ack due is not $LOCAL in New York: $(cat "$T_DIR/status.txt")"
as alice memo list >"$T_DIR/list.txt"
head -n 1 "$T_DIR/list.txt" | grep -q ' DUE (America/New_York)$' ||
	fail "list header: $(head -n 1 "$T_DIR/list.txt")"
grep -q "^$A .* $LOCAL$" "$T_DIR/list.txt" || fail "list row: $(cat "$T_DIR/list.txt")"
ok "status and list show due dates in the instance's zone, with the working days left"

as coord channel inbox --limit 1 >"$T_DIR/inbox1.txt"
[ "$(grep -c '^d_' "$T_DIR/inbox1.txt")" -eq 1 ] || fail "page 1: $(cat "$T_DIR/inbox1.txt")"
grep -q '^Memos 1-1 of 2; the next page: --offset 1\.$' "$T_DIR/inbox1.txt" ||
	fail "page 1: $(cat "$T_DIR/inbox1.txt")"
head -n 1 "$T_DIR/inbox1.txt" | grep -q 'DUE (America/New_York)' ||
	fail "inbox header: $(head -n 1 "$T_DIR/inbox1.txt")"
as coord channel inbox --offset 1 --limit 1 >"$T_DIR/inbox2.txt"
grep -q '^Memos 2-2 of 2\.$' "$T_DIR/inbox2.txt" || fail "page 2: $(cat "$T_DIR/inbox2.txt")"
[ "$(cat "$T_DIR/inbox1.txt" "$T_DIR/inbox2.txt" | grep -c -e "^$A " -e "^$B ")" -eq 2 ] ||
	fail "the pages do not hold both memos"
as coord channel inbox --offset 5 | grep -q '^No memos from 5: the inbox has 2\.$' ||
	fail "a page past the end"
as coord channel inbox --limit 1 --json | grep -q '"total":2' || fail "inbox JSON total"
expect_exit 2 as coord channel inbox --limit 0
expect_exit 2 as coord channel inbox --limit 501
expect_exit 2 as coord channel inbox --offset 10001
ok "the inbox pages with --offset and --limit and says N of TOTAL"

as coord channel ack "$A" >/dev/null
as coord channel distribute "$A" >"$T_DIR/dist1.txt" 2>"$T_DIR/dist1.err"
grep -q '^prin  *Member prin  *distributed$' "$T_DIR/dist1.txt" ||
	fail "distribute: $(cat "$T_DIR/dist1.txt")"
grep -q 'm_' "$T_DIR/dist1.txt" && fail "distribute shows member ids: $(cat "$T_DIR/dist1.txt")"
grep -q 'approval' "$T_DIR/dist1.err" && fail "nothing waits, yet: $(cat "$T_DIR/dist1.err")"
as coord channel distribute "$A" --to prin2 >"$T_DIR/dist2.txt" 2>"$T_DIR/dist2.err"
grep -q '^prin2  *Member prin2  *pending$' "$T_DIR/dist2.txt" ||
	fail "distribute --to: $(cat "$T_DIR/dist2.txt")"
grep -q "^1 recipient beyond the standard list waits for the director's approval" \
	"$T_DIR/dist2.err" || fail "no pending note: $(cat "$T_DIR/dist2.err")"
ok "distribute names principals by handle and name, and mentions approval only when one waits"

as alice meeting request "$A" --principal prin --json >"$T_DIR/meet.json"
MID=$(json_int "$T_DIR/meet.json" id)
expect_exit 2 as prin meeting schedule "$MID" --at "2030-03-10 02:30"
expect_exit 2 as prin meeting schedule "$MID" --at "2030-02-29 10:00"
as prin meeting schedule "$MID" --at "2030-01-15 10:30" --json >"$T_DIR/sched.json"
grep -q '"scheduled_at":1894721400' "$T_DIR/sched.json" || fail "schedule: $(cat "$T_DIR/sched.json")"
as alice meeting list >"$T_DIR/meetings.txt"
head -n 1 "$T_DIR/meetings.txt" | grep -q 'SCHEDULED (America/New_York)$' ||
	fail "meetings header: $(head -n 1 "$T_DIR/meetings.txt")"
grep -q "^$MID .* 2030-01-15 10:30:00$" "$T_DIR/meetings.txt" ||
	fail "meetings: $(cat "$T_DIR/meetings.txt")"
ok "meeting times are read and shown in the instance's zone; a skipped or unreal time is refused"

as aud log entries --count 1000 >"$T_DIR/entries.txt"
grep -Eq "memo_submitted +$A version 1 hash [0-9a-f]{16} named 0 anonymous 0 package ([0-9a-f]{16}|none)$" \
	"$T_DIR/entries.txt" || fail "memo_submitted: $(grep memo_submitted "$T_DIR/entries.txt")"
grep -Eq "memo_distributed +$A principal m_[0-9a-f]{24} approved by none \(standard list\)$" \
	"$T_DIR/entries.txt" || fail "memo_distributed: $(grep memo_distributed "$T_DIR/entries.txt")"
grep -Eq "meeting_scheduled +$A principal m_[0-9a-f]{24} at 2030-01-15 15:30:00 UTC$" \
	"$T_DIR/entries.txt" || fail "meeting_scheduled: $(grep meeting_scheduled "$T_DIR/entries.txt")"
grep -Eq "grant_created +$A kind memo-key commit [0-9a-f]{16}$" "$T_DIR/entries.txt" ||
	fail "grant_created: $(grep grant_created "$T_DIR/entries.txt")"
as aud log entries --count 1000 --json >"$T_DIR/entries.json"
grep -Eq "\"type\":\"memo_submitted\",\"time\":[0-9]+,\"memo_id\":\"$A\",\"memo_version\":1,\"hash\":\"[A-Za-z0-9_-]{43}\",\"named\":0,\"anonymous\":0,\"package_hash\":\"[A-Za-z0-9_-]{43}\"\\}" \
	"$T_DIR/entries.json" || fail "memo_submitted JSON"
grep -Eq "\"type\":\"meeting_scheduled\",[^}]*\"memo_id\":\"$A\",\"at\":1894721400\\}" \
	"$T_DIR/entries.json" || fail "meeting_scheduled JSON"
ok "log entries decode the fields of memo and channel events, in text and JSON"

t_finish

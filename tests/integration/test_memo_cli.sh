#!/bin/bash
# Memos and the channel through the real CLI against a real dissentd: the
# channel key, a draft encrypted on the client, invitations, named
# signatures (stale after an edit, then renewed), submission with a receipt
# verified offline, acknowledgement, assignment, distribution, a meeting,
# a reply the signers read, closing; a reprisal complaint read by an
# auditor; and the refusals (an unrelated member, a second signature, a
# tampered receipt, a roster key or a channel key swapped in the server's
# database).  Afterwards no marker text is in the data directory.
. "$(dirname "$0")/lib.sh"

MARK=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
BODY_MARK="BODYMARK$MARK"
EDIT_MARK="EDITMARK$MARK"
REPLY_MARK="REPLYMARK$MARK"
NOTE_MARK="NOTEMARK$MARK"
COMPLAINT_MARK="COMPLAINTMARK$MARK"
REDIRECT_MARK="REDIRECTMARK$MARK"
TITLE_MARK="TITLEMARK$MARK"

t_admin_ready --set standard_principals=prin
as admin org create usaid "U.S. Agency for International Development" >/dev/null
add_member alice state member
add_member bob usaid member
add_member carol state member
add_member dave state member
add_member coord state member,coordinator
add_member asg state member
add_member prin state member,principal
add_member aud state member,auditor
add_member coord2 state member,coordinator
add_member prin2 state member,principal
add_member dir state member,director
for who in alice bob carol dave coord asg prin aud coord2 prin2 dir; do
	login "$who"
done

# Nothing can be submitted before the channel has a key.
as coord channel init >/dev/null
expect_exit 6 as coord channel init
ok "a coordinator creates the channel key once"

printf '# Reconsider\n\n%s: the policy should change.\n' "$BODY_MARK" >"$T_DIR/body.md"
printf 'In short: %s.\n' "$BODY_MARK" >"$T_DIR/summary.txt"
printf 'Recommend option B.\n' >"$T_DIR/alt.txt"
printf '%s\n' "$TITLE_MARK dissent" >"$T_DIR/title.txt"
as alice memo new --title-file "$T_DIR/title.txt" --topic policy \
	--marking SBU --orgs state,usaid --body-file "$T_DIR/body.md" \
	--summary-file "$T_DIR/summary.txt" \
	--alternatives-file "$T_DIR/alt.txt" >"$T_DIR/new.out"
ID=$(cat "$T_DIR/new.out")
[[ "$ID" =~ ^d_[0-9a-f]{24}$ ]] || fail "memo new printed: $ID"
as alice memo show "$ID" >"$T_DIR/show1.txt"
grep -q "$BODY_MARK: the policy should change." "$T_DIR/show1.txt" ||
	fail "memo show: $(cat "$T_DIR/show1.txt")"
grep -q "^Title  *$TITLE_MARK dissent$" "$T_DIR/show1.txt" || fail "title"
grep -q "^State  *draft" "$T_DIR/show1.txt" || fail "state draft"
expect_exit 2 as alice memo new --title T --topic policy --marking NOPE --body-file "$T_DIR/body.md"
expect_exit 1 as alice memo new --title T --topic policy --marking "TOP SECRET" \
	--body-file "$T_DIR/body.md"
ok "a drafter writes a memo, encrypted on her machine, and reads it back"

expect_exit 5 as dave memo show "$ID"
expect_exit 5 as dave memo status "$ID"
expect_exit 5 as dave memo signers "$ID"
ok "an unrelated member cannot see that the memo exists"

as alice memo open "$ID" >/dev/null
as alice memo invite "$ID" bob >/dev/null
as alice memo invite "$ID" carol --as signer >/dev/null
as bob memo invitations >"$T_DIR/inv.txt"
grep -q "^$ID " "$T_DIR/inv.txt" || fail "bob's invitations: $(cat "$T_DIR/inv.txt")"
as dave memo invitations --json | grep -q "$ID" && fail "dave is invited"
ok "the drafter invites signers by directory id; invitees see what awaits them"

as bob memo sign "$ID" --yes >/dev/null
as carol memo sign "$ID" --yes >/dev/null
expect_exit 6 as bob memo sign "$ID" --yes
as alice memo status "$ID" --json >"$T_DIR/st1.json"
grep -q '"counts":{[^}]*"named":2' "$T_DIR/st1.json" || fail "counts: $(cat "$T_DIR/st1.json")"
ok "invitees sign the exact version; a second signature is refused"

printf '# Reconsider\n\n%s: the policy should change now.\n' "$EDIT_MARK" >"$T_DIR/body2.md"
as alice memo edit "$ID" --body-file "$T_DIR/body2.md" >/dev/null
as alice memo status "$ID" --json >"$T_DIR/st2.json"
grep -q '"version":2' "$T_DIR/st2.json" || fail "version 2: $(cat "$T_DIR/st2.json")"
grep -q '"named_stale":2' "$T_DIR/st2.json" || fail "stale: $(cat "$T_DIR/st2.json")"
as alice memo signers "$ID" >"$T_DIR/signers1.txt"
grep -q "^bob .* stale " "$T_DIR/signers1.txt" || fail "signers: $(cat "$T_DIR/signers1.txt")"
as alice memo show "$ID" --version 1 | grep -q "$BODY_MARK" || fail "version 1 text"
as alice memo versions "$ID" --json | grep -q '"version":2' || fail "versions"
ok "an edit makes a new version and the signatures on the old one stale"

as bob memo sign "$ID" --yes >/dev/null
as carol memo sign "$ID" --yes >/dev/null
as alice memo sign "$ID" --yes >/dev/null
as alice memo signers "$ID" --json >"$T_DIR/signers2.json"
for who in alice bob carol; do
	grep -q "\"handle\":\"$who\"" "$T_DIR/signers2.json" || fail "signer $who missing"
done
grep -q '"current":false' "$T_DIR/signers2.json" && fail "a stale signature remains"
as bob memo signers "$ID" >"$T_DIR/signers-bob.txt"
grep -q "names are not shown to you" "$T_DIR/signers-bob.txt" ||
	fail "bob sees names: $(cat "$T_DIR/signers-bob.txt")"
as carol memo unsign "$ID" >/dev/null
as carol memo sign "$ID" --yes >/dev/null
ok "signers re-sign the new version; each record verifies; other signers see a count"

# The server cannot open signer records: one that is junk is listed apart
# and not counted (--strict refuses it), and a drafter strikes it.
sqlite3 -cmd ".timeout 5000" "$T_DATA/dissent.db" "UPDATE memo_signatures SET record = randomblob(304)
	WHERE memo_id = '$ID' AND tag = (SELECT min(tag) FROM memo_signatures WHERE memo_id = '$ID')"
as alice memo signers "$ID" --json >"$T_DIR/signers-bad.json" ||
	fail "one junk record fails memo signers"
grep -q '"verified":2' "$T_DIR/signers-bad.json" || fail "verified: $(cat "$T_DIR/signers-bad.json")"
grep -q '"bad_records":\[{"index":[0-9]*,"tag":"[A-Za-z0-9_-]\{43\}","reason":"it does not open' \
	"$T_DIR/signers-bad.json" || fail "bad records: $(cat "$T_DIR/signers-bad.json")"
as alice memo signers "$ID" | grep -q "^1 signer record does not verify" || fail "no flag in the listing"
expect_exit 9 as alice memo signers "$ID" --strict
BAD_TAG=$(json_str "$T_DIR/signers-bad.json" tag)
expect_exit 4 as bob memo strike "$ID" "$BAD_TAG" --yes
as alice memo strike "$ID" "$BAD_TAG" --yes | grep -q "it has 2 named signatures" ||
	fail "strike"
expect_exit 5 as alice memo strike "$ID" "$BAD_TAG" --yes
as alice memo signers "$ID" --json >"$T_DIR/signers3.json"
grep -q '"bad_records":\[\]' "$T_DIR/signers3.json" || fail "still bad: $(cat "$T_DIR/signers3.json")"
for who in alice bob carol; do
	grep -q "\"handle\":\"$who\"" "$T_DIR/signers3.json" ||
		as "$who" memo sign "$ID" --yes >/dev/null
done
as alice memo signers "$ID" --strict --json | grep -q '"verified":3' || fail "not re-signed"
ok "a junk signer record is flagged, not counted, refused with --strict and struck by a drafter"

as alice memo submit "$ID" --yes --receipt-out "$T_DIR/receipt.json" >"$T_DIR/submit.txt"
grep -q "^Signatures  *3 named, 0 anonymous" "$T_DIR/submit.txt" ||
	fail "submit: $(cat "$T_DIR/submit.txt")"
[ -s "$T_DIR/home-alice/receipts/$ID.json" ] || fail "receipt not kept in the home"
[ "$(stat -c %a "$T_DIR/receipt.json")" = 600 ] || fail "receipt file mode"
expect_exit 6 as alice memo edit "$ID" --body-file "$T_DIR/body.md"
expect_exit 6 as bob memo unsign "$ID"
ok "submission freezes the memo and returns a verified receipt"

as alice receipt verify "$T_DIR/receipt.json" >"$T_DIR/verify.txt"
grep -q "^OK: the receipt verifies" "$T_DIR/verify.txt" || fail "verify: $(cat "$T_DIR/verify.txt")"
grep -q "^Memo  *$ID" "$T_DIR/verify.txt" || fail "verify memo"
KEY=$(curl -sS "$T_URL/api/v1/instance" | grep -o '"server_sign_pk":"[^"]*"' | cut -d'"' -f4)
mkdir -m 0700 "$T_DIR/home-offline"
DISSENT_HOME="$T_DIR/home-offline" "$DISSENT" receipt verify "$T_DIR/receipt.json" \
	--server-key "$KEY" --json >"$T_DIR/verify.json"
grep -q '"ok":true' "$T_DIR/verify.json" || fail "offline verify: $(cat "$T_DIR/verify.json")"
grep -q "\"named\":3" "$T_DIR/verify.json" || fail "offline verify counts"
ok "the receipt verifies offline with the pinned key or a given key"

sed -E 's/"index":([0-9]+)/"index":1\1/' "$T_DIR/receipt.json" >"$T_DIR/tampered1.json"
expect_exit 9 as alice receipt verify "$T_DIR/tampered1.json"
EV=$(json_str "$T_DIR/receipt.json" event)
C=${EV:20:1}
R=A
[ "$C" = A ] && R=B
sed "s/\"event\":\"${EV:0:20}${C}/\"event\":\"${EV:0:20}${R}/" "$T_DIR/receipt.json" >"$T_DIR/tampered2.json"
cmp -s "$T_DIR/receipt.json" "$T_DIR/tampered2.json" && fail "event not tampered"
expect_exit 9 as alice receipt verify "$T_DIR/tampered2.json"
grep -q "does not verify" "$T_DIR/last.err" || fail "tampered message: $(cat "$T_DIR/last.err")"
OTHER=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
expect_exit 9 as alice receipt verify "$T_DIR/receipt.json" --server-key "${OTHER:0:43}"
ok "a tampered receipt, or one checked with another key, does not verify (exit 9)"

as coord channel inbox >"$T_DIR/inbox.txt"
grep -q "^$ID  *submitted " "$T_DIR/inbox.txt" || fail "inbox: $(cat "$T_DIR/inbox.txt")"
as coord memo show "$ID" | grep -q "$EDIT_MARK" || fail "coordinator cannot read"
as coord memo signers "$ID" --json | grep -q '"handle":"bob"' || fail "coordinator signers"
as coord channel ack "$ID" >/dev/null
as alice memo status "$ID" | grep -q "^State  *acknowledged" || fail "not acknowledged"
ok "the coordinator reads the memo through the channel key and acknowledges it"

expect_exit 4 as coord2 memo show "$ID"
as coord channel grant coord2 >/dev/null
as coord2 memo show "$ID" | grep -q "$EDIT_MARK" || fail "coord2 cannot read"
ok "a coordinator grants the channel key to another, who then reads past items"

as coord channel assign "$ID" asg >/dev/null
as asg memo show "$ID" | grep -q "$EDIT_MARK" || fail "assignee cannot read"
as asg memo signers "$ID" --json >"$T_DIR/asg-signers.json" || true
grep -q '"handle"' "$T_DIR/asg-signers.json" && fail "the assignee sees signers"
ok "the assignee reads the memo but not the signers"

as coord channel distribute "$ID" --json >"$T_DIR/dist.json"
grep -q '"status":"distributed"' "$T_DIR/dist.json" || fail "distribute: $(cat "$T_DIR/dist.json")"
as prin memo show "$ID" | grep -q "$EDIT_MARK" || fail "principal cannot read"
as prin memo signers "$ID" --json | grep -q '"handle":"carol"' || fail "principal signers"
ok "distribution to the standard list lets the principal read the memo and its signers"

as coord channel distribute "$ID" --to prin2 --json >"$T_DIR/dist2.json"
grep -q '"status":"pending"' "$T_DIR/dist2.json" || fail "distribute: $(cat "$T_DIR/dist2.json")"
expect_exit 5 as prin2 memo show "$ID"
expect_exit 4 as coord channel approve "$ID" prin2
as dir channel approve "$ID" prin2 >/dev/null
as prin2 memo show "$ID" | grep -q "$EDIT_MARK" || fail "prin2 cannot read after approval"
ok "a principal off the standard list reads the memo only after the director approves"

as alice meeting request "$ID" --principal prin --json >"$T_DIR/meet.json"
MID=$(json_int "$T_DIR/meet.json" id)
[ -n "$MID" ] || fail "meeting request: $(cat "$T_DIR/meet.json")"
as prin meeting schedule "$MID" --at "2030-01-15 10:30" >/dev/null
printf 'Met; %s.\n' "$NOTE_MARK" >"$T_DIR/note.txt"
as prin meeting outcome "$MID" --held --note-file "$T_DIR/note.txt" >/dev/null
as alice meeting list | grep -q "^$MID .* held" || fail "meeting list"
ok "a drafter requests a meeting; the principal schedules it and records the outcome"

printf 'The channel replies: %s.\n' "$REPLY_MARK" >"$T_DIR/reply.txt"
as coord channel reply "$ID" --file "$T_DIR/reply.txt" >/dev/null
as bob memo replies "$ID" >"$T_DIR/replies-bob.txt"
grep -q "$REPLY_MARK" "$T_DIR/replies-bob.txt" || fail "bob reads: $(cat "$T_DIR/replies-bob.txt")"
grep -q "$NOTE_MARK" "$T_DIR/replies-bob.txt" || fail "bob reads the outcome"
as alice memo replies "$ID" --json | grep -q "$REPLY_MARK" || fail "alice reads the reply"
ok "the reply is encrypted with the memo key: drafters and signers read it"

as coord channel close "$ID" >/dev/null
as alice memo status "$ID" | grep -q "^State  *closed" || fail "not closed"
as alice memo accesses "$ID" --verify --json >"$T_DIR/acc.json"
grep -q '"log_check":"verified"' "$T_DIR/acc.json" || fail "accesses: $(cat "$T_DIR/acc.json")"
grep -q '"log_check":"[^vp]' "$T_DIR/acc.json" && fail "an access does not verify"
ok "the memo is closed; the drafter checks every access against the log"

printf '# Second\n\n%s\n' "$BODY_MARK" >"$T_DIR/body3.md"
ID2=$(as alice memo new --title Second --topic policy --marking SBU --body-file "$T_DIR/body3.md")
as alice memo submit "$ID2" --yes >/dev/null
printf 'Out of scope; go to the ombudsman: %s.\n' "$REDIRECT_MARK" >"$T_DIR/redirect.txt"
as coord channel redirect "$ID2" --note-file "$T_DIR/redirect.txt" >/dev/null
as alice memo status "$ID2" | grep -q "^State  *redirected" || fail "not redirected"
as alice memo replies "$ID2" | grep -q "$REDIRECT_MARK" || fail "redirect note unread"
ID3=$(as alice memo new --title Third --topic policy --marking SBU --body-file "$T_DIR/body3.md")
as alice memo withdraw "$ID3" --yes >/dev/null
as alice memo status "$ID3" | grep -q "^State  *withdrawn" || fail "not withdrawn"
expect_exit 6 as alice memo withdraw "$ID3" --yes
ok "a memo redirected with a note the drafter reads; another withdrawn for good"

# Names shown after the invitations: the drafter's client seals the roster
# key to the invitees who hold none; invited later, one gets it at once.
ID6=$(as alice memo new --title Sixth --topic policy --marking SBU --body-file "$T_DIR/body3.md")
as alice memo open "$ID6" >/dev/null
as alice memo invite "$ID6" carol >/dev/null
as alice memo invite "$ID6" dave >/dev/null
as dave memo signers "$ID6" | grep -q "names are not shown to you" ||
	fail "dave sees names before they are shown"
as alice memo settings "$ID6" --show-signers yes >"$T_DIR/settings6.txt"
grep -q "^Gave the roster key to 2 invitees.$" "$T_DIR/settings6.txt" ||
	fail "settings: $(cat "$T_DIR/settings6.txt")"
as alice memo settings "$ID6" --show-signers yes --json >"$T_DIR/settings6.json"
grep -q '"roster_granted":0' "$T_DIR/settings6.json" ||
	fail "settings again: $(cat "$T_DIR/settings6.json")"
as alice memo invite "$ID6" asg >/dev/null
as carol memo sign "$ID6" --yes >/dev/null
for who in dave asg; do
	as "$who" memo signers "$ID6" --strict --json >"$T_DIR/signers6-$who.json"
	grep -q '"handle":"carol"' "$T_DIR/signers6-$who.json" ||
		fail "$who does not see carol: $(cat "$T_DIR/signers6-$who.json")"
done
ok "names shown after the invitations: the earlier invitees get the roster key and list the signers"

printf 'I was moved after signing: %s.\n' "$COMPLAINT_MARK" >"$T_DIR/complaint.txt"
as bob complaint file --file "$T_DIR/complaint.txt" >/dev/null
as aud complaint list >"$T_DIR/complaints.txt"
grep -q "$COMPLAINT_MARK" "$T_DIR/complaints.txt" || fail "auditor: $(cat "$T_DIR/complaints.txt")"
expect_exit 4 as bob complaint list
as coord stats >/dev/null
ok "a reprisal complaint reaches the auditors only; statistics are served"

# A server that lists a member the log does not show as an auditor gets no
# complaint sealed to them.
sqlite3 -cmd ".timeout 5000" "$T_DATA/dissent.db" "UPDATE members SET roles = roles | 16 WHERE handle = 'dave'"
N_COMPLAINTS=$(as aud complaint list --json | grep -o '"id":' | wc -l)
expect_exit 9 as bob complaint file --file "$T_DIR/complaint.txt"
grep -q "does not show that member as an active auditor" "$T_DIR/last.err" ||
	fail "complaint message: $(cat "$T_DIR/last.err")"
sqlite3 -cmd ".timeout 5000" "$T_DATA/dissent.db" "UPDATE members SET roles = roles & ~16 WHERE handle = 'dave'"
[ "$(as aud complaint list --json | grep -o '"id":' | wc -l)" -eq "$N_COMPLAINTS" ] ||
	fail "a complaint was filed"
ok "a complaint is sealed only to members the log shows as auditors (exit 9 otherwise)"

# A server that swaps a key in its database is caught before anything is
# signed or sealed to it.  The server restarts on the same port, so the
# homes' pins and sessions still apply.
PORT=$(cat "$T_DIR/port")
restart() {
	rm -f "$T_DIR/port"
	"$DISSENTD" --data-dir "$T_DATA" --listen 127.0.0.1 --port "$PORT" \
		--port-file "$T_DIR/port" --log-level debug 2>>"$T_LOG" &
	T_PID=$!
	for _ in $(seq 1 200); do
		[ -s "$T_DIR/port" ] && return 0
		kill -0 "$T_PID" 2>/dev/null || fail "dissentd exited at restart"
		sleep 0.05
	done
	fail "dissentd did not restart"
}
# unchanged BEFORE: the database is as in the snapshot BEFORE, but for
# the logged reads of the memo (an access record and its log entry, which
# the server writes before it serves a version to decrypt).
unchanged() {
	local reads='^INSERT INTO (log_entries|log_nodes|log_heads|memo_accesses) '
	db_snapshot "$T_DIR/after.sql"
	diff <(grep -E -v "$reads" "$1") <(grep -E -v "$reads" "$T_DIR/after.sql") \
		>"$T_DIR/changed.diff" ||
		fail "the database changed: $(head -n 20 "$T_DIR/changed.diff")"
}

ID4=$(as alice memo new --title Fourth --topic policy --marking SBU --body-file "$T_DIR/body3.md")
as alice memo open "$ID4" >/dev/null
as alice memo invite "$ID4" carol >/dev/null
ID5=$(as alice memo new --title Fifth --topic policy --marking SBU --body-file "$T_DIR/body3.md")
t_stop
sqlite3 "$T_DATA/dissent.db" "UPDATE memos SET roster_pk = (SELECT box_pk FROM members WHERE handle = 'dave') WHERE id = '$ID4'"
restart
db_snapshot "$T_DIR/before-sign.sql"
expect_exit 9 as carol memo sign "$ID4" --yes
grep -q "is not the text its hash names" "$T_DIR/last.err" ||
	fail "sign message: $(cat "$T_DIR/last.err")"
unchanged "$T_DIR/before-sign.sql"
ok "a roster key the drafter did not choose fails the version hash: the invitee signs and seals nothing (exit 9)"

t_stop
sqlite3 "$T_DATA/dissent.db" "UPDATE channel_key SET pk = (SELECT box_pk FROM members WHERE handle = 'dave')"
restart
db_snapshot "$T_DIR/before-submit.sql"
expect_exit 9 as alice memo submit "$ID5" --yes
grep -q "not the one the log publishes" "$T_DIR/last.err" ||
	fail "submit message: $(cat "$T_DIR/last.err")"
unchanged "$T_DIR/before-submit.sql"
as alice memo status "$ID5" | grep -q "^State  *draft" || fail "memo 5 left its draft"
ok "a channel key the log does not publish is refused: nothing is submitted or sealed to it (exit 9)"

t_stop
for m in "$BODY_MARK" "$EDIT_MARK" "$REPLY_MARK" "$NOTE_MARK" "$COMPLAINT_MARK" \
	"$TITLE_MARK" "$REDIRECT_MARK"; do
	if grep -r -a -q "$m" "$T_DATA" "$T_LOG"; then
		fail "$m found in the data directory or the log"
	fi
done
ok "no memo, reply, note or complaint text is in the data directory or the server log"

t_finish

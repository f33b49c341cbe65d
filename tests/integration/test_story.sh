#!/bin/bash
# The whole story of issue 3 against a real dissentd with the real CLI:
# members of two organisations draft a memo (a drafter of the channel's own
# organisation, state, with a co-drafter from usaid), invite and gather 100
# signatures from members generated here, 70 by name and 30 anonymously
# (issue 5: linkable ring signatures over the memo's eligible set, checked
# against the log); an edit after 10 signatures makes them stale and they
# sign again; double signing is refused; the memo is submitted with a
# receipt carrying both counts, `dissent memo verify` re-verifies every
# signature as the drafter and as an auditor, and the receipt is
# verified offline; it is acknowledged on time, assigned, distributed to the
# standard list, and answered by its assignee with a reply the signers read.
# A second memo, from usaid, is acknowledged late by the test clock (the
# scheduler marks it, logs deadline_missed and e-mails the director), goes
# to the standard list plus usaid's agency head, and then misses its reply
# deadline, escalated again.  The e-mails reach a local SMTP sink and carry
# nothing about the memos or anyone in them.  Finally the data directory
# and the server's log are searched for the texts, the names and the ids.
. "$(dirname "$0")/lib.sh"

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

# at "YYYY-MM-DD HH:MM:SS": that local time in America/New_York, Unix seconds.
at() {
	TZ=America/New_York date -d "$1" +%s
}

# clock_set T: move the server's test clock to T.
clock_set() {
	echo "$1" >"$CLOCK"
}

# has PATTERN: standard input matches PATTERN.  Unlike `grep -q`, it reads
# all of its input, so the writer never dies of SIGPIPE, which under
# `pipefail` would turn a match into a failure.
has() {
	grep -e "$1" >/dev/null
}

# wait_for SECONDS CMD...: retry CMD every 0.2 s until it succeeds.
wait_for() {
	local tries=$(($1 * 5))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		tries=$((tries - 1))
	done
	return 1
}

# missed_has HANDLE MEMO KIND: the memo's "missed" list, as HANDLE sees
# it, holds KIND.
missed_has() {
	as "$1" memo status "$2" --json | has "\"missed\":\[[^]]*\"$3\""
}

# live_sql SQL: a read-only query on the running server's database.
live_sql() {
	sqlite3 -readonly "$T_DATA/dissent.db" "$1"
}

# missed_event MEMO KIND DUE: the channel log holds exactly one
# deadline_missed event about MEMO of KIND (1 ack, 2 reply) due at DUE.
# Its bytes (docs/PROTOCOL.md, "Log events"): format version 1, type 114
# (u16), time (u64), the memo id (u32 length 26 and the id), the kind (u8)
# and the due time (u64).  The CLI, which checks the entries against the
# signed head, must name the entry's type alike.
missed_event() {
	local idx
	idx=$(live_sql "SELECT idx FROM log_entries WHERE
		hex(substr(event, 1, 3)) = '010072' AND
		hex(substr(event, 12, 4)) = '0000001A' AND
		substr(event, 16, 26) = CAST('$1' AS BLOB) AND
		hex(substr(event, 42)) = '$(printf '%02X%016X' "$2" "$3")'")
	[ "$(echo "$idx" | grep -c .)" -eq 1 ] || return 1
	as aud log entries --start "$idx" --count 1 --json |
		has "\"index\":$idx,\"type\":\"deadline_missed\""
}

# What every e-mail says, whatever it is about (an invitation, a reply, a
# missed deadline): only how many arrive tells them apart.
MAIL_SENTENCE='You have a new item in the dissent channel'

# mails_at_least N ADDR SENTENCE: N messages or more to ADDR say SENTENCE.
mails_at_least() {
	[ "$(mails_to "$2" "$3")" -ge "$1" ]
}

# mails_to ADDR SENTENCE: how many messages to ADDR say SENTENCE.
mails_to() {
	local f n=0
	for f in "$T_MAIL"/msg-*.eml; do
		[ -e "$f" ] || continue
		grep -q "^X-Sink-Rcpt-To: <$1>" "$f" && grep -q "^$2" "$f" &&
			n=$((n + 1))
	done
	echo "$n"
}

START=$SECONDS
N_SIGNERS=100
# The last N_ANON signers sign anonymously, the others by name.
N_ANON=30
N_NAMED=$((N_SIGNERS - N_ANON))
TOK=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
TITLE_MARK="TITLEMARK$TOK"
BODY_MARK="BODYMARK$TOK"
EDIT_MARK="EDITMARK$TOK"
REPLY_MARK="REPLYMARK$TOK"
TITLE2_MARK="TITLETWOMARK$TOK"
BODY2_MARK="BODYTWOMARK$TOK"
CLOCK="$T_DIR/clock"

# The calendar of the story (America/New_York, state-dissent, with one
# configured closure): submitted Friday 2030-11-08 10:00; Monday the 11th
# is Veterans Day and Tuesday the 12th a configured holiday, so the second
# working day, the acknowledgement's due date, is Thursday the 14th.
T0=$(at "2030-11-08 10:00:00")
ACK_DUE=$(at "2030-11-14 23:59:59")
T_LATE=$(at "2030-11-15 09:00:00")
# 30 working days after the on-time acknowledgement (Friday the 8th; the
# 28th is Thanksgiving Day, December 25th Christmas Day) ...
REPLY_DUE1=$(at "2030-12-26 23:59:59")
# ... and after the missed acknowledgement's due date (the 14th).
REPLY_DUE2=$(at "2030-12-30 23:59:59")

t_sink_start
t_init
# The test clock file does not exist yet, so the server keeps the real
# time while members enroll (the admin's code was made by `dissentd init`
# with the real clock) and sign (a signature's time, taken by the CLI from
# the real clock, must be within 600 seconds of the server's).
# rate_limit_per_minute=0: 100 members enroll and log in from 127.0.0.1.
t_start \
	--set test_clock_file="$CLOCK" \
	--set smtp_url="smtp://127.0.0.1:$T_SMTP_PORT" \
	--set smtp_from=dissent@channel.example \
	--set mail_domain=state.example \
	--set scheduler_interval_ms=200 \
	--set policy_profile=state-dissent \
	--set time_zone=America/New_York \
	--set holidays=2030-11-12 \
	--set topics=policy,human-rights,management \
	--set max_marking=SBU \
	--set standard_principals=sec,dep \
	--set agency_heads=usaid:uhead \
	--set rate_limit_per_minute=0 \
	--set log_head_interval_ms=20
as admin server set "$T_URL" >/dev/null
enroll admin "$T_DIR/admin.code"
login admin
as admin org create usaid "U.S. Agency for International Development" >/dev/null

# The staff and the drafters, with the ids the directory gave them.
declare -A ID_OF
staff=("sd:state:member" "ud:usaid:member" "ud2:usaid:member"
	"coord:state:member,coordinator" "asg:state:member"
	"dir:state:member,director" "sec:state:member,principal"
	"dep:state:member,principal" "uhead:usaid:member,principal"
	"aud:state:member,auditor" "decoy:state:member")
for s in "${staff[@]}"; do
	IFS=: read -r who org roles <<<"$s"
	add_member "$who" "$org" "$roles"
	login "$who"
	as admin member show "$who" --json >"$T_DIR/show-$who.json"
	ID_OF[$who]=$(json_str "$T_DIR/show-$who.json" id)
done

# The signers: s001..s100, odd ones of state and even ones of usaid, each
# with a display name holding the random token so that no other text can
# match it.  The admin creates them one by one; they enroll and log in in
# parallel, each in its own CLI home.
SIGNERS=()
declare -A NAME_OF
for i in $(seq 1 "$N_SIGNERS"); do
	who=$(printf 's%03d' "$i")
	org=state
	[ $((i % 2)) -eq 0 ] && org=usaid
	NAME_OF[$who]=$(printf 'Signer %03d %s' "$i" "$TOK")
	as admin member create --handle "$who" --name "${NAME_OF[$who]}" \
		--org "$org" --roles member --code-file "$T_DIR/$who.code" \
		--json >"$T_DIR/create-$who.json"
	ID_OF[$who]=$(json_str "$T_DIR/create-$who.json" id)
	[[ "${ID_OF[$who]}" =~ ^m_[0-9a-f]{24}$ ]] || fail "no member id for $who"
	SIGNERS+=("$who")
done
signer_ready() {
	as "$1" server set "$T_URL" >/dev/null
	enroll "$1" "$T_DIR/$1.code"
	login "$1"
}
run_parallel 4 signer_ready "${SIGNERS[@]}"
as admin member list --limit 500 --json | grep -o '"status":"active"' | wc -l >"$T_DIR/active"
[ "$(cat "$T_DIR/active")" -eq $((N_SIGNERS + ${#staff[@]} + 1)) ] ||
	fail "active members: $(cat "$T_DIR/active")"
ok "two organisations, their staff and $N_SIGNERS generated signers are enrolled ($((SECONDS - START)) s)"

as coord channel init >/dev/null
printf '%s: Reconsider the policy\n' "$TITLE_MARK" >"$T_DIR/title.txt"
printf '# Reconsider\n\n%s: the policy should change.\n' "$BODY_MARK" >"$T_DIR/body.md"
printf 'In short: %s.\n' "$BODY_MARK" >"$T_DIR/summary.txt"
printf 'Option B: %s.\n' "$BODY_MARK" >"$T_DIR/alt.txt"
M1=$(as sd memo new --title-file "$T_DIR/title.txt" --topic human-rights \
	--marking SBU --orgs state,usaid --body-file "$T_DIR/body.md" \
	--summary-file "$T_DIR/summary.txt" --alternatives-file "$T_DIR/alt.txt")
[[ "$M1" =~ ^d_[0-9a-f]{24}$ ]] || fail "memo new printed: $M1"
as sd memo invite "$M1" ud --as codrafter >/dev/null
as ud memo show "$M1" | has "$BODY_MARK: the policy should change." ||
	fail "the co-drafter cannot read the draft"
as sd memo open "$M1" >/dev/null
ok "a state drafter and a usaid co-drafter write a memo, encrypted on their machines"

# Each drafter invites the signers of their own organisation, both at once.
invite_all() {
	local drafter=$1 who
	shift
	for who in "$@"; do
		as "$drafter" memo invite "$M1" "$who" --as signer >/dev/null ||
			return 1
	done
}
ODD=() EVEN=()
for i in $(seq 1 "$N_SIGNERS"); do
	if [ $((i % 2)) -eq 1 ]; then
		ODD+=("${SIGNERS[$((i - 1))]}")
	else
		EVEN+=("${SIGNERS[$((i - 1))]}")
	fi
done
invite_all sd "${ODD[@]}" decoy >"$T_DIR/invite-sd.log" 2>&1 &
INV1=$!
invite_all ud "${EVEN[@]}" >"$T_DIR/invite-ud.log" 2>&1 &
INV2=$!
wait "$INV1" || fail "invitations by sd: $(tail -n 3 "$T_DIR/invite-sd.log")"
wait "$INV2" || fail "invitations by ud: $(tail -n 3 "$T_DIR/invite-ud.log")"
as s001 memo invitations | has "^$M1 " || fail "s001 is not invited"
as s100 memo invitations | has "^$M1 " || fail "s100 is not invited"
as coord memo invitations --json | has "$M1" && fail "coord is invited"
ok "the drafters invite $N_SIGNERS signers by directory id; each sees what awaits them"

sign() {
	as "$1" memo sign "$M1" --yes >/dev/null
}
FIRST10=("${SIGNERS[@]:0:10}")
run_parallel 4 sign "${FIRST10[@]}"
as sd memo status "$M1" --json >"$T_DIR/st1.json"
grep -q '"counts":{"named":10,"named_stale":0,' "$T_DIR/st1.json" ||
	fail "counts after 10: $(grep -o '"counts":{[^}]*}' "$T_DIR/st1.json")"
printf '# Reconsider\n\n%s: the policy should change now.\n' "$EDIT_MARK" >"$T_DIR/body2.md"
as sd memo edit "$M1" --body-file "$T_DIR/body2.md" >/dev/null
as sd memo status "$M1" --json >"$T_DIR/st2.json"
grep -q '"version":2,' "$T_DIR/st2.json" || fail "no version 2"
grep -q '"counts":{"named":0,"named_stale":10,' "$T_DIR/st2.json" ||
	fail "counts after the edit: $(grep -o '"counts":{[^}]*}' "$T_DIR/st2.json")"
as s001 memo status "$M1" --json | has '"signed":"stale"' || fail "s001 not stale"
ok "an edit after 10 signatures makes them stale: named 0, stale 10"

run_parallel 4 sign "${FIRST10[@]}"
as sd memo status "$M1" --json | has '"counts":{"named":10,"named_stale":0,' ||
	fail "the 10 did not re-sign"
anon_sign() {
	as "$1" memo sign "$M1" --anonymous --yes >/dev/null
}
run_parallel 4 sign "${SIGNERS[@]:10:N_NAMED-10}"
run_parallel 4 anon_sign "${SIGNERS[@]:N_NAMED}"
expect_exit 6 as s050 memo sign "$M1" --yes
expect_exit 6 as s080 memo sign "$M1" --anonymous --yes
as sd memo status "$M1" --json | has "\"counts\":{\"named\":$N_NAMED,\"named_stale\":0,\"anonymous\":$N_ANON,\"anonymous_stale\":0}" ||
	fail "counts: $(as sd memo status "$M1" --json | grep -o '"counts":{[^}]*}')"
as ud memo signers "$M1" --json >"$T_DIR/signers.json"
[ "$(grep -o '"current":true' "$T_DIR/signers.json" | wc -l)" -eq "$N_NAMED" ] ||
	fail "signers: $(grep -o '"counts":{[^}]*}' "$T_DIR/signers.json")"
grep -q '"current":false' "$T_DIR/signers.json" && fail "a stale signature remains"
for who in s001 s002 s069 s070; do
	grep -q "\"handle\":\"$who\",\"name\":\"${NAME_OF[$who]}\"" "$T_DIR/signers.json" ||
		fail "$who is not among the verified signers"
done
as decoy memo show "$M1" | has "$EDIT_MARK" || fail "the decoy cannot read"
as s003 memo signers "$M1" | has "the names are not shown to you" ||
	fail "a signer sees the names"
ok "the 10 sign again and 90 more join: $N_NAMED named signatures, each verified by the co-drafter, and $N_ANON anonymous ones; signing twice is refused ($((SECONDS - START)) s)"

# The second memo, from usaid, with two signers.
printf '%s: Staffing\n' "$TITLE2_MARK" >"$T_DIR/title2.txt"
printf '# Staffing\n\n%s\n' "$BODY2_MARK" >"$T_DIR/body3.md"
M2=$(as ud2 memo new --title-file "$T_DIR/title2.txt" --topic management \
	--marking SBU --body-file "$T_DIR/body3.md")
as ud2 memo open "$M2" >/dev/null
for who in s002 s004; do
	as ud2 memo invite "$M2" "$who" >/dev/null
	as "$who" memo sign "$M2" --yes >/dev/null
done
as ud2 memo status "$M2" --json | has '"org":"usaid"' || fail "memo 2's organisation"
ok "a second memo, drafted in usaid, gathers two signatures"

# Now the test clock takes over: Friday 2030-11-08 10:00 in New York.  The
# sessions made under the real clock have expired by the server's clock.
clock_set "$T0"
expect_exit 3 as sd memo status "$M1"
for who in sd ud ud2 coord asg sec dep uhead decoy s001 s002 s005 s057 s100; do
	login "$who"
done

as sd memo submit "$M1" --yes --receipt-out "$T_DIR/receipt.json" >"$T_DIR/submit.txt"
grep -q "^Signatures  *$N_NAMED named, $N_ANON anonymous" "$T_DIR/submit.txt" ||
	fail "submit: $(cat "$T_DIR/submit.txt")"
KEY=$(curl -sS "$T_URL/api/v1/instance" | grep -o '"server_sign_pk":"[^"]*"' | cut -d'"' -f4)
mkdir -m 0700 "$T_DIR/home-offline"
DISSENT_HOME="$T_DIR/home-offline" "$DISSENT" receipt verify "$T_DIR/receipt.json" \
	--server-key "$KEY" --json >"$T_DIR/verify.json"
grep -q '"ok":true' "$T_DIR/verify.json" || fail "offline verify: $(cat "$T_DIR/verify.json")"
grep -q "\"memo\":\"$M1\"" "$T_DIR/verify.json" || fail "receipt memo"
grep -q "\"named\":$N_NAMED,\"anonymous\":$N_ANON," "$T_DIR/verify.json" || fail "receipt counts"
grep -q "\"time\":$T0," "$T_DIR/verify.json" || fail "receipt time"
as sd memo status "$M1" --json >"$T_DIR/st3.json"
grep -q "\"due\":{\"ack\":$ACK_DUE," "$T_DIR/st3.json" ||
	fail "ack due: $(grep -o '"due":{[^}]*}' "$T_DIR/st3.json")"
expect_exit 6 as s005 memo unsign "$M1"
as sd memo verify "$M1" --json >"$T_DIR/memo-verify.json" ||
	fail "memo verify: $(cat "$T_DIR/memo-verify.json")"
grep -q "\"anonymous\":{\"current\":$N_ANON,\"stale\":0},\"named\":{\"records\":\"verified\",\"current\":$N_NAMED," \
	"$T_DIR/memo-verify.json" || fail "memo verify: $(cat "$T_DIR/memo-verify.json")"
grep -q '"package":"matches the submission receipt"' "$T_DIR/memo-verify.json" ||
	fail "memo verify: $(cat "$T_DIR/memo-verify.json")"
ok "submission freezes $N_NAMED named and $N_ANON anonymous signatures, re-verified by memo verify; the receipt verifies offline; ack due $(TZ=America/New_York date -d "@$ACK_DUE" '+%F %T %Z')"


as ud2 memo submit "$M2" --yes >/dev/null
as ud2 memo status "$M2" --json | has "\"due\":{\"ack\":$ACK_DUE," ||
	fail "memo 2's ack due"
as coord channel inbox >"$T_DIR/inbox.txt"
grep -q "^$M1  *submitted " "$T_DIR/inbox.txt" || fail "inbox: $(cat "$T_DIR/inbox.txt")"
grep -q "^$M2  *submitted " "$T_DIR/inbox.txt" || fail "inbox: $(cat "$T_DIR/inbox.txt")"
ok "memo 2 is submitted the same minute; both are in the inbox, due the same day"

# A quarter of an hour later (sessions idle out after 30 minutes) the
# coordinator acknowledges the first memo: on time.
clock_set $((T0 + 900))
as coord channel ack "$M1" >/dev/null
as sd memo status "$M1" --json >"$T_DIR/st4.json"
grep -q '"state":"acknowledged"' "$T_DIR/st4.json" || fail "not acknowledged"
grep -q "\"acked_at\":$((T0 + 900))," "$T_DIR/st4.json" || fail "acked_at"
grep -q '"missed":\[\]' "$T_DIR/st4.json" || fail "missed: $(cat "$T_DIR/st4.json")"
grep -q "\"due\":{\"ack\":$ACK_DUE,\"reply\":$REPLY_DUE1," "$T_DIR/st4.json" ||
	fail "reply due: $(grep -o '"due":{[^}]*}' "$T_DIR/st4.json")"
ok "the coordinator acknowledges the first memo on time"

as coord channel assign "$M1" asg >/dev/null
as asg memo show "$M1" | has "$EDIT_MARK" || fail "the assignee cannot read"
as asg memo signers "$M1" --json >"$T_DIR/asg-signers.json" 2>/dev/null || true
grep -q '"handle"' "$T_DIR/asg-signers.json" && fail "the assignee sees signers"
as coord channel distribute "$M1" --json >"$T_DIR/dist1.json"
for who in sec dep; do
	grep -q "${ID_OF[$who]}" "$T_DIR/dist1.json" || fail "$who not in $(cat "$T_DIR/dist1.json")"
done
grep -q '"status":"pending"' "$T_DIR/dist1.json" && fail "a pending distribution"
grep -q "${ID_OF[uhead]}" "$T_DIR/dist1.json" && fail "usaid's head got a state memo"
as sec memo show "$M1" | has "$EDIT_MARK" || fail "sec cannot read"
as dep memo signers "$M1" --json | grep -o '"current":true' | wc -l >"$T_DIR/dep-n"
[ "$(cat "$T_DIR/dep-n")" -eq "$N_NAMED" ] || fail "dep sees $(cat "$T_DIR/dep-n") signers"
expect_exit 5 as uhead memo show "$M1"
ok "assigned; distributed in one action to the standard list, who read it and its $N_NAMED named signers"

printf 'The channel replies: %s.\n' "$REPLY_MARK" >"$T_DIR/reply.txt"
as asg channel reply "$M1" --file "$T_DIR/reply.txt" >/dev/null
for who in s001 s002 s057 s100 sd ud decoy; do
	as "$who" memo replies "$M1" >"$T_DIR/replies-$who.txt"
	grep -q "$REPLY_MARK" "$T_DIR/replies-$who.txt" || fail "$who cannot read the reply"
done
as sd memo status "$M1" --json | has '"state":"replied"' || fail "not replied"
ok "the assignee replies; signers of both organisations decrypt and read it"

# The second memo waits past its due date: the scheduler marks it missed,
# logs a deadline_missed event and e-mails the director.
clock_set "$T_LATE"
for who in ud2 coord aud uhead sd; do
	login "$who"
done
as aud memo verify "$M1" | has "^OK: memo $M1 verifies" ||
	fail "the auditor cannot verify memo 1"
wait_for 20 missed_has ud2 "$M2" ack || fail "memo 2's ack is not marked missed"
as ud2 memo status "$M2" | has "^Ack due .*(MISSED)" || fail "status shows no MISSED"
as ud2 memo status "$M2" --json | has '"missed":\["ack"\]' || fail "more than ack missed"
missed_event "$M2" 1 "$ACK_DUE" || fail "no deadline_missed event for memo 2's acknowledgement"
missed_has sd "$M1" ack && fail "memo 1 marked missed"
wait_for 20 mails_at_least 1 dir@state.example "$MAIL_SENTENCE" ||
	fail "no escalation e-mail to the director"
as coord channel inbox | has "^$M2 .*OVERDUE" || fail "inbox shows no OVERDUE"
ok "past its due date, memo 2 is marked missed, logged, and escalated to the director by e-mail"

as coord channel ack "$M2" >/dev/null
as ud2 memo status "$M2" --json >"$T_DIR/st5.json"
grep -q '"state":"acknowledged"' "$T_DIR/st5.json" || fail "memo 2 not acknowledged"
grep -q "\"acked_at\":$T_LATE," "$T_DIR/st5.json" || fail "memo 2 acked_at"
grep -q "\"reply\":$REPLY_DUE2," "$T_DIR/st5.json" ||
	fail "memo 2 reply due: $(grep -o '"due":{[^}]*}' "$T_DIR/st5.json")"
as coord channel distribute "$M2" --json >"$T_DIR/dist2.json"
for who in sec dep uhead; do
	grep -q "${ID_OF[$who]}" "$T_DIR/dist2.json" || fail "$who not in $(cat "$T_DIR/dist2.json")"
done
grep -q '"status":"pending"' "$T_DIR/dist2.json" && fail "a pending distribution"
as uhead memo show "$M2" | has "$BODY2_MARK" || fail "usaid's head cannot read memo 2"
ok "memo 2 is acknowledged late and goes to the standard list and usaid's agency head"

# Nobody replies to memo 2: a day after its reply was due it is escalated.
clock_set $((REPLY_DUE2 + 3600))
for who in ud2 aud sd; do
	login "$who"
done
wait_for 20 missed_has ud2 "$M2" reply || fail "memo 2's reply is not marked missed"
missed_event "$M2" 2 "$REPLY_DUE2" || fail "no deadline_missed event for memo 2's reply"
as sd memo status "$M1" --json | has '"missed":\[\]' || fail "memo 1 marked missed"
wait_for 20 mails_at_least 2 dir@state.example "$MAIL_SENTENCE" ||
	fail "no second escalation e-mail to the director"
ok "memo 2's missed reply deadline is logged and escalated to the director again"

# Issue 4: the auditor reproduces every deadline outcome from the log alone,
# with the server's own calendar code, and finds nothing to object to.
as aud audit --json >"$T_DIR/audit.json" || fail "dissent audit exited $?"
node -e '
const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const c = a.compliance, want = {
  [process.argv[2]]: {acknowledgement: "on_time", reply: "on_time"},
  [process.argv[3]]: {acknowledgement: "late", reply: "overdue"},
};
if (a.memo_compliance !== "consistent" || c.finding_count !== 0)
  throw new Error("audit: " + a.memo_compliance + ", findings " + JSON.stringify(c.findings));
for (const [id, w] of Object.entries(want)) {
  const m = c.memos.find((x) => x.memo_id === id);
  if (!m) throw new Error("audit: no memo " + id);
  for (const k of Object.keys(w))
    if (m[k].status !== w[k])
      throw new Error("audit: " + id + " " + k + " is " + m[k].status + ", not " + w[k]);
}
if (c.missed_logged !== 2) throw new Error("audit: missed_logged " + c.missed_logged);
' "$T_DIR/audit.json" "$M1" "$M2" || fail "the audit does not reproduce the story's deadlines"
ok "the auditor's dissent audit reproduces every deadline outcome from the log alone"

# Every notification is sent (the queue is empty), and what reached the
# sink says nothing: no title, text, memo id, name or member id.
queue_empty() {
	[ "$(live_sql 'SELECT count(*) FROM notifications')" -eq 0 ]
}
wait_for 60 queue_empty ||
	fail "notifications still queued"
[ "$(mails_to s001@state.example "$MAIL_SENTENCE")" -ge 1 ] ||
	fail "no invitation e-mail to s001"
# The server does not know the signers, so the reply's e-mail goes to the
# drafters (and invitees), in the same words as every other e-mail.
for who in sd ud; do
	[ "$(mails_to $who@state.example "$MAIL_SENTENCE")" -ge 1 ] ||
		fail "no reply e-mail to $who"
done
[ "$(mails_to uhead@state.example "$MAIL_SENTENCE")" -ge 1 ] ||
	fail "no distribution e-mail to usaid's head"
: >"$T_DIR/secrets"
for m in "$TITLE_MARK" "$BODY_MARK" "$EDIT_MARK" "$REPLY_MARK" "$TITLE2_MARK" \
	"$BODY2_MARK" "$M1" "$M2" "$TOK"; do
	echo "$m" >>"$T_DIR/secrets"
done
for who in "${!ID_OF[@]}"; do
	echo "${ID_OF[$who]}" >>"$T_DIR/secrets"
done
for who in "${staff[@]%%:*}"; do
	echo "Member $who" >>"$T_DIR/secrets"
done
N_MAIL=$(ls "$T_MAIL"/msg-*.eml | wc -l)
if grep -l -F -f "$T_DIR/secrets" "$T_MAIL"/msg-*.eml >"$T_DIR/leaky-mail"; then
	fail "e-mails carry secrets: $(head -n 3 "$T_DIR/leaky-mail")"
fi
ok "$N_MAIL e-mails reached the sink; none holds a title, text, memo id, name or member id"

# ---- What the operator keeps ------------------------------------------------
# The issue asks that a search of the whole data directory and the server's
# log for the memo's and the reply's text and for every signer's name and
# id finds nothing.  Names and ids are the directory's own data, so here
# is precisely what is searched where, and why:
#
# 1. Texts, everywhere, byte for byte: a copy of the data directory taken
#    while the server runs (dissent.db with its -wal and -shm, where recent
#    pages live) and the directory after it stopped, and the server's log.
#    No memo title or body, no edit, no reply.
# 2. The server's log, byte for byte: no signer's name or member id.
# 3. Names in the database.  The directory's `members` table holds every
#    member's display name; nothing else may.  Every other table is dumped
#    and searched; and the stopped database file, searched byte for byte,
#    holds each signer's name exactly once (its directory row: the store
#    zeroes what it frees, so no stale copy lingers in the file).
# 4. Signer ids in the database.  Member ids belong to the directory
#    (members, custody, login state, keys, sessions, enrollment codes, the
#    mail queue) and to the log's directory events (member_created,
#    member_enrolled).  What would link a signer to the memo must not be
#    there: no signer id in any other table (memos, versions, signatures,
#    replies, distributions, meetings, ...; dumped, ids searched as text
#    and as the hex a dump shows for blobs), nor in any log event but the
#    signers' own directory events (searched in the raw event bytes; the
#    types come from the CLI, which checked the entries against the signed
#    head).  The only memo data that names a signer is the invitation and
#    access metadata docs/THREAT-MODEL.md documents as visible to the
#    operator: the invitee relation (memo_members, rel 4), the memo-key
#    grant the invitation made (memo_grants) and the access records
#    (memo_accesses).  They are the same for an invitee who never signed
#    (the decoy), so they do not tell who signed.
as aud log entries --count 100000 --json | grep -o '{"index":[0-9]*,"type":"[a-z_]*"' |
	sed 's/{"index":\([0-9]*\),"type":"\(.*\)"/\1 \2/' >"$T_DIR/log-types"
grep -q ' deadline_missed$' "$T_DIR/log-types" || fail "no deadline_missed in the log"
cp -a "$T_DATA" "$T_DIR/live"
[ -s "$T_DIR/live/dissent.db-wal" ] || fail "no WAL in the live copy"
t_stop
for m in "$TITLE_MARK" "$BODY_MARK" "$EDIT_MARK" "$REPLY_MARK" "$TITLE2_MARK" \
	"$BODY2_MARK"; do
	if grep -r -a -q -F -- "$m" "$T_DIR/live" "$T_DATA" "$T_LOG"; then
		fail "$m found in the data directory or the log"
	fi
done
# The searches must be able to hit: the drafter's own files hold the texts.
grep -q -F "$TITLE_MARK" "$T_DIR/title.txt" || fail "the search misses a title"
: >"$T_DIR/signer-names"
: >"$T_DIR/signer-ids"
for who in "${SIGNERS[@]}"; do
	echo "${NAME_OF[$who]}" >>"$T_DIR/signer-names"
	echo "${ID_OF[$who]}" >>"$T_DIR/signer-ids"
	printf '%s' "${ID_OF[$who]}" | od -An -tx1 | tr -d ' \n' >>"$T_DIR/signer-ids"
	echo >>"$T_DIR/signer-ids"
done
if grep -a -i -q -F -f "$T_DIR/signer-names" -f "$T_DIR/signer-ids" "$T_LOG"; then
	fail "the server log names a signer or holds a signer's id"
fi
ok "no memo or reply text in the data directory (live or stopped) or the log; no signer's name or id in the log"

DB="$T_DIR/story.db"
cp "$T_DATA/dissent.db" "$DB"
[ ! -e "$T_DATA/dissent.db-wal" ] || fail "the stopped server left a WAL"
sql() {
	sqlite3 "$DB" "$1"
}
TABLES=$(sql "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
sqlite3 "$DB" ".dump members" >"$T_DIR/dump.sql"
grep -a -o -F -f "$T_DIR/signer-names" "$T_DIR/dump.sql" |
	sort -u | wc -l >"$T_DIR/n-names"
[ "$(cat "$T_DIR/n-names")" -eq "$N_SIGNERS" ] ||
	fail "the directory holds $(cat "$T_DIR/n-names") signer names"
for t in $TABLES; do
	[ "$t" = members ] && continue
	sqlite3 "$DB" ".dump $t" >"$T_DIR/dump.sql"
	if grep -a -q -F -f "$T_DIR/signer-names" "$T_DIR/dump.sql"; then
		fail "table $t holds a signer's name"
	fi
done
grep -a -o -F -f "$T_DIR/signer-names" "$T_DATA/dissent.db" | sort | uniq -c |
	awk '$1 != 1' >"$T_DIR/names-not-once"
[ "$(grep -a -o -F -f "$T_DIR/signer-names" "$T_DATA/dissent.db" | sort -u | wc -l)" -eq "$N_SIGNERS" ] ||
	fail "the database file lacks some signer names"
[ ! -s "$T_DIR/names-not-once" ] ||
	fail "names stored more than once: $(head -n 3 "$T_DIR/names-not-once")"
ok "signers' names are only in the directory: once each in the database file, in no other table"

sql "CREATE TABLE t_signers (id TEXT PRIMARY KEY)"
for who in "${SIGNERS[@]}"; do
	sql "INSERT INTO t_signers VALUES ('${ID_OF[$who]}')"
done
# A dump shows the log's event blobs in hex: the search must find the
# signers' directory events there.
sqlite3 "$DB" ".dump log_entries" >"$T_DIR/dump.sql"
grep -a -i -q -F -f "$T_DIR/signer-ids" "$T_DIR/dump.sql" ||
	fail "the search misses ids in a dump's blobs"
for t in $TABLES; do
	case $t in
	members | custody | login_state | key_history | enrollment_codes | \
		sessions | log_key_events | notifications)
		continue ;; # the directory and its mail queue
	memo_ring_members)
		continue ;; # the eligible set at opening, checked below
	memo_members | memo_grants | memo_accesses | log_entries)
		continue ;; # checked precisely below
	esac
	sqlite3 "$DB" ".dump $t" >"$T_DIR/dump.sql"
	if grep -a -i -q -F -f "$T_DIR/signer-ids" "$T_DIR/dump.sql"; then
		fail "table $t holds a signer's id"
	fi
done
[ "$(sql "SELECT count(*) FROM memo_members WHERE memo_id = '$M1' AND rel = 4 AND
	member_id IN (SELECT id FROM t_signers)")" -eq "$N_SIGNERS" ] ||
	fail "the invitee relations are not all stored"
[ "$(sql "SELECT count(*) FROM memo_members WHERE (rel != 4 AND member_id IN
	(SELECT id FROM t_signers)) OR by_member IN (SELECT id FROM t_signers)")" -eq 0 ] ||
	fail "memo_members links a signer other than as an invitee"
[ "$(sql "SELECT count(*) FROM memo_grants WHERE purpose != 'memo-key' AND
	recipient IN (SELECT id FROM t_signers)")" -eq 0 ] ||
	fail "a signer holds a roster key"
[ "$(sql "SELECT count(*) FROM memo_signatures WHERE memo_id = '$M1'")" -eq "$N_NAMED" ] ||
	fail "not $N_NAMED signature rows"
[ "$(sql "SELECT count(*) FROM memo_anon_signatures WHERE memo_id = '$M1'")" -eq "$N_ANON" ] ||
	fail "not $N_ANON anonymous signature rows"
# The ring snapshot is the directory's eligible set when the memo opened:
# every signer, named or anonymous, and every other eligible member of
# state and usaid (the decoy among them), whoever signed.
[ "$(sql "SELECT count(*) FROM memo_ring_members WHERE memo_id = '$M1' AND
	member_id IN (SELECT id FROM t_signers)")" -eq "$N_SIGNERS" ] ||
	fail "the ring snapshot is not the eligible set"
[ "$(sql "SELECT count(*) FROM memo_ring_members WHERE memo_id = '$M1' AND
	member_id = '${ID_OF[decoy]}'")" -eq 1 ] || fail "the decoy is not in the ring"
sql "SELECT DISTINCT idx FROM log_entries JOIN t_signers ON
	instr(event, CAST(t_signers.id AS BLOB)) > 0 ORDER BY idx" >"$T_DIR/log-idx"
[ "$(wc -l <"$T_DIR/log-idx")" -eq $((2 * N_SIGNERS)) ] ||
	fail "$(wc -l <"$T_DIR/log-idx") log entries hold a signer's id"
while read -r idx; do
	grep -q -E "^$idx (member_created|member_enrolled)$" "$T_DIR/log-types" ||
		fail "log entry $idx ($(grep "^$idx " "$T_DIR/log-types")) holds a signer's id"
done <"$T_DIR/log-idx"
ok "signer ids are only in the directory, its log events, the eligible set and the documented invitation and access metadata"

# profile MEMBER: what memo_members, memo_grants and memo_accesses show of
# MEMBER for memo 1: relations, grant purposes, kinds of access.
profile() {
	sql "SELECT 'rel', rel FROM memo_members WHERE memo_id = '$M1' AND member_id = '$1'
		UNION ALL SELECT DISTINCT 'grant', purpose FROM memo_grants
		WHERE memo_id = '$M1' AND recipient = '$1'
		UNION ALL SELECT DISTINCT 'access', kind FROM memo_accesses
		WHERE memo_id = '$M1' AND member_id = '$1' ORDER BY 1, 2"
}
profile "${ID_OF[decoy]}" >"$T_DIR/profile-decoy"
grep -q '^rel|4$' "$T_DIR/profile-decoy" || fail "no invitee relation for the decoy"
# s001 signed by name, s100 anonymously.
for who in s001 s100; do
	profile "${ID_OF[$who]}" >"$T_DIR/profile-$who"
	cmp -s "$T_DIR/profile-decoy" "$T_DIR/profile-$who" ||
		fail "$who's metadata differs from an invitee's who did not sign: $(diff "$T_DIR/profile-decoy" "$T_DIR/profile-$who" | tr '\n' ' ')"
done
ok "that metadata is the same for a named signer, an anonymous one and an invitee who never signed ($(tr '\n' ' ' <"$T_DIR/profile-s100"))"

echo "# the story took $((SECONDS - START)) s"
t_finish

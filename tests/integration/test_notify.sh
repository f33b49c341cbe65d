#!/bin/bash
# Notifications and the test clock end to end: dissentd refuses bad memo and
# mail settings, warns loudly when its test clock is on and takes every
# request's time from it, and an invitation reaches a local SMTP sink as a
# content-free e-mail (no title, no name, no memo id).
. "$(dirname "$0")/lib.sh"

CLOCK="$T_DIR/clock"
t_sink_start
MAIL=$T_MAIL
SMTP_PORT=$T_SMTP_PORT

t_init

# Settings that do not parse stop the server before it starts.
for bad in smtp_url=http://127.0.0.1:25 smtp_from=nobody \
	"smtp_from=a@b.example>" webhook_url=ftp://hooks.example/ \
	public_url=https:// max_marking=secret topics=policy,,other \
	holidays=2025-02-30 agency_heads=usaid scheduler_interval_ms=10 \
	notify_digest=2; do
	expect_exit 2 "$DISSENTD" --data-dir "$T_DATA" --port 0 --set "$bad"
done
expect_exit 2 "$DISSENTD" --data-dir "$T_DATA" --port 0 \
	--set smtp_url=smtp://127.0.0.1:25
grep -q smtp_from "$T_DIR/last.err" || fail "no message about smtp_from"
ok "bad memo, mail and scheduler settings are refused at start"

# The test clock starts at the real time, so the enrollment code is valid.
date +%s >"$CLOCK"
T0=$(cat "$CLOCK")
t_start \
	--set smtp_url="smtp://127.0.0.1:$SMTP_PORT" \
	--set smtp_from=dissent@channel.example \
	--set mail_domain=state.example \
	--set public_url=https://dissent.state.example/ \
	--set scheduler_interval_ms=200 \
	--set test_clock_file="$CLOCK"
as admin server set "$T_URL" >/dev/null
enroll admin "$T_DIR/admin.code"
login admin
grep -q "TEST CLOCK ENABLED" "$T_LOG" || fail "no test clock warning"
grep -q '"test_clock":true' "$T_LOG" || fail "listening line lacks test_clock"
ok "dissentd warns loudly when the test clock is on"

# Sessions last 12 hours: a day later by the test clock, the admin's is gone.
as admin whoami >/dev/null
echo $((T0 + 86400)) >"$CLOCK"
expect_exit 3 as admin whoami
echo "$T0" >"$CLOCK"
login admin
as admin whoami >/dev/null
ok "requests take their time from the test clock"

add_member alice state member
add_member bob state member
login alice
MARKER="NOTIFYMARKER$RANDOM$RANDOM"
printf 'The body of %s.\n' "$MARKER" >"$T_DIR/body.md"
as alice memo new --title "Title $MARKER" --topic policy --marking SBU \
	--body-file "$T_DIR/body.md" >"$T_DIR/new.out"
MEMO=$(grep -o 'd_[0-9a-f]\{24\}' "$T_DIR/new.out" | head -n 1)
[ -n "$MEMO" ] || fail "no memo id: $(cat "$T_DIR/new.out")"
as alice memo invite "$MEMO" bob >/dev/null
for _ in $(seq 1 200); do
	ls "$MAIL"/msg-*.eml >/dev/null 2>&1 && break
	sleep 0.05
done
ls "$MAIL"/msg-*.eml >/dev/null 2>&1 || fail "no e-mail reached the sink"
MSG=$(ls "$MAIL"/msg-*.eml | head -n 1)
grep -q '^X-Sink-Rcpt-To: <bob@state.example>' "$MSG" || fail "wrong recipient: $(cat "$MSG")"
grep -q '^Subject: dissent: you have a new item' "$MSG" || fail "wrong subject"
grep -q 'https://dissent.state.example/' "$MSG" || fail "no link"
ok "an invitation sends the invitee an e-mail"

for secret in "$MARKER" "$MEMO" "Member alice" "Member bob" alice \
	"$(as admin member show alice --json | grep -o 'm_[0-9a-f]\{24\}' | head -n 1)" \
	"$(as admin member show bob --json | grep -o 'm_[0-9a-f]\{24\}' | head -n 1)"; do
	[ -n "$secret" ] || fail "empty search string"
	if grep -q -- "$secret" "$MAIL"/msg-*.eml; then
		fail "an e-mail contains \"$secret\""
	fi
done
if grep -q -- "$MARKER" "$T_LOG"; then
	fail "the server log contains the memo's text"
fi
ok "the e-mail carries no title, text, memo id, name or member id"

t_finish

# Shared helpers for the integration tests: each test starts a real dissentd
# on a free loopback port (--port 0 --port-file) in a fresh data directory
# and drives it with the real CLI.  Source this file; it sets `set -euo
# pipefail` and cleans up on exit.
set -euo pipefail

: "${DISSENTD:?path to dissentd}"
: "${DISSENT:?path to dissent}"

# Lowest Argon2id cost the server accepts, to keep the tests quick.
KDF_FLAGS=(--kdf-ops 2 --kdf-mem 19922944)

T_NAME=$(basename "$0" .sh)
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$T_NAME.XXXXXX")
T_DATA="$T_DIR/data"
T_LOG="$T_DIR/dissentd.log"
T_PID=""
T_URL=""
T_PASSED=0
T_FAILED=0
T_SINK_PID=""

t_cleanup() {
	local rc=$?
	if [ -n "$T_PID" ]; then
		kill "$T_PID" 2>/dev/null || true
		wait "$T_PID" 2>/dev/null || true
	fi
	if [ -n "$T_SINK_PID" ]; then
		kill "$T_SINK_PID" 2>/dev/null || true
		wait "$T_SINK_PID" 2>/dev/null || true
	fi
	if [ "$rc" -ne 0 ] || [ "$T_FAILED" -ne 0 ]; then
		echo "--- dissentd log (last 40 lines) ---"
		tail -n 40 "$T_LOG" 2>/dev/null || true
		echo "--- kept $T_DIR ---"
	else
		rm -rf "$T_DIR"
	fi
}
trap t_cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	T_FAILED=$((T_FAILED + 1))
	exit 1
}

ok() {
	echo "ok - $*"
	T_PASSED=$((T_PASSED + 1))
}

# t_finish: print the closing line the CI reads.
t_finish() {
	echo "$T_PASSED passed, $T_FAILED failed"
}

# t_init [extra init flags]: create an instance; the admin's code in $T_DIR/admin.code.
t_init() {
	"$DISSENTD" init --data-dir "$T_DATA" --channel-org state \
		--channel-org-name "Department of State" --admin-handle admin \
		--admin-name "Test Admin" --code-file "$T_DIR/admin.code" "$@" \
		>"$T_DIR/init.out"
}

# t_start [extra dissentd flags]: start the server and wait until it listens.
t_start() {
	rm -f "$T_DIR/port"
	"$DISSENTD" --data-dir "$T_DATA" --listen 127.0.0.1 --port 0 \
		--port-file "$T_DIR/port" --log-level debug "$@" 2>>"$T_LOG" &
	T_PID=$!
	for _ in $(seq 1 200); do
		[ -s "$T_DIR/port" ] && break
		kill -0 "$T_PID" 2>/dev/null || fail "dissentd exited at start"
		sleep 0.05
	done
	[ -s "$T_DIR/port" ] || fail "dissentd did not write its port"
	T_URL="http://127.0.0.1:$(cat "$T_DIR/port")"
}

t_stop() {
	kill "$T_PID"
	wait "$T_PID" 2>/dev/null || true
	T_PID=""
}

# as HANDLE CMD...: run the CLI with HANDLE's own home directory.
as() {
	local who=$1
	shift
	mkdir -p -m 0700 "$T_DIR/home-$who"
	DISSENT_HOME="$T_DIR/home-$who" "$DISSENT" --server "$T_URL" "$@"
}

# expect_exit CODE CMD...: run CMD and check its exit code.
expect_exit() {
	local want=$1 got=0
	shift
	"$@" >"$T_DIR/last.out" 2>"$T_DIR/last.err" || got=$?
	if [ "$got" -ne "$want" ]; then
		echo "stdout: $(cat "$T_DIR/last.out")" >&2
		echo "stderr: $(cat "$T_DIR/last.err")" >&2
		fail "expected exit $want, got $got: $*"
	fi
}

password_of() {
	printf 'correct horse %s battery' "$1"
}

# enroll HANDLE CODE-FILE: enroll with the test password; recovery code kept.
enroll() {
	local who=$1 codefile=$2
	as "$who" enroll --code-fd 3 --password-fd 4 "${KDF_FLAGS[@]}" \
		--recovery-code-file "$T_DIR/$who.recovery" \
		3<"$codefile" 4< <(password_of "$who"; echo) >/dev/null
}

# login HANDLE: log in with the test password.
login() {
	as "$1" login --handle "$1" --password-fd 3 \
		3< <(password_of "$1"; echo) >/dev/null
}

# t_admin_ready: init, start, enroll and log in the admin.
t_admin_ready() {
	t_init
	t_start "$@"
	as admin server set "$T_URL" >/dev/null
	enroll admin "$T_DIR/admin.code"
	login admin
}

# add_member HANDLE ORG ROLES [more member-create flags]: create and enroll.
add_member() {
	local who=$1 org=$2 roles=$3
	shift 3
	as admin member create --handle "$who" --name "Member $who" --org "$org" \
		--roles "$roles" --code-file "$T_DIR/$who.code" "$@" >/dev/null
	as "$who" server set "$T_URL" >/dev/null
	enroll "$who" "$T_DIR/$who.code"
}

# api METHOD PATH [curl args...]: raw HTTP; prints "STATUS BODY".
api() {
	local method=$1 path=$2
	shift 2
	curl -sS -o "$T_DIR/api.body" -w '%{http_code}' -X "$method" "$@" \
		"$T_URL$path" >"$T_DIR/api.status"
	echo "$(cat "$T_DIR/api.status") $(cat "$T_DIR/api.body")"
}

# t_sink_start: start the SMTP sink ($SMTP_SINK) storing messages in
# $T_MAIL (msg-N.eml); its port in $T_SMTP_PORT.  Stopped on exit.
t_sink_start() {
	: "${SMTP_SINK:?path to smtp_sink}"
	T_MAIL="$T_DIR/mail"
	mkdir -p "$T_MAIL"
	"$SMTP_SINK" "$T_MAIL" &
	T_SINK_PID=$!
	for _ in $(seq 1 100); do
		[ -s "$T_MAIL/port" ] && break
		sleep 0.05
	done
	[ -s "$T_MAIL/port" ] || fail "the SMTP sink did not start"
	T_SMTP_PORT=$(cat "$T_MAIL/port")
}

# json_str FILE KEY: the first string value of "KEY" in the JSON in FILE.
json_str() {
	grep -o "\"$2\":\"[^\"]*\"" "$1" | head -n 1 | cut -d'"' -f4
}

# json_int FILE KEY: the first integer value of "KEY" in FILE.
json_int() {
	grep -o "\"$2\":[0-9]*" "$1" | head -n 1 | cut -d: -f2
}

# db_snapshot FILE: a dump of every table, to prove nothing changed.  Session
# rows are left out: an authenticated request may refresh its last_seen.
db_snapshot() {
	sqlite3 "$T_DATA/dissent.db" .dump | grep -v '^INSERT INTO sessions' >"$1"
}

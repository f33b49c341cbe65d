#!/bin/bash
# dissentd serves over TLS (GnuTLS) and the CLI verifies the certificate
# against a given CA; the session cookie is Secure under TLS.
. "$(dirname "$0")/lib.sh"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$T_DIR/tls.key" -out "$T_DIR/tls.crt" -days 2 \
	-subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	2>/dev/null
chmod 600 "$T_DIR/tls.key"

t_init
t_start --tls-cert "$T_DIR/tls.crt" --tls-key "$T_DIR/tls.key"
T_URL="https://127.0.0.1:$(cat "$T_DIR/port")"

expect_exit 7 as admin server health
ok "the CLI refuses a certificate it cannot verify"

as admin --ca-file "$T_DIR/tls.crt" server set "$T_URL" >/dev/null
as admin --ca-file "$T_DIR/tls.crt" enroll --code-fd 3 --password-fd 4 "${KDF_FLAGS[@]}" \
	--recovery-code-file "$T_DIR/admin.recovery" \
	3<"$T_DIR/admin.code" 4< <(password_of admin; echo) >/dev/null
as admin --ca-file "$T_DIR/tls.crt" login --handle admin --password-fd 3 \
	3< <(password_of admin; echo) >/dev/null
as admin --ca-file "$T_DIR/tls.crt" whoami --json | grep -q '"handle":"admin"' ||
	fail "whoami over TLS"
ok "enrollment and login work over TLS with the CA given"

headers=$(curl -sS --cacert "$T_DIR/tls.crt" -D - -o /dev/null \
	-H "Content-Type: application/json" --data '{"handle":"admin","auth_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}' \
	"$T_URL/api/v1/auth/login")
grep -qi '^strict-transport-security:' <<<"$headers" || fail "no HSTS under TLS"
ok "HSTS is sent under TLS"

# Only TLS 1.2 and 1.3 (RFC 8996).  SECLEVEL=0 lets the local OpenSSL
# offer the old versions at all; without -tls1_1 it cannot, and the check
# is skipped.
port=$(cat "$T_DIR/port")
handshake() {
	timeout 10 openssl s_client -connect "127.0.0.1:$port" "$1" \
		-cipher 'ALL:@SECLEVEL=0' </dev/null 2>&1 | grep -q '^New, TLSv1\.[23],'
}
handshake -tls1_2 || fail "a TLS 1.2 handshake failed"
if openssl s_client -help 2>&1 | grep -q -- '-tls1_3'; then
	handshake -tls1_3 || fail "a TLS 1.3 handshake failed"
fi
if openssl s_client -help 2>&1 | grep -q -- '-tls1_1'; then
	if timeout 10 openssl s_client -connect "127.0.0.1:$port" -tls1_1 \
		-cipher 'ALL:@SECLEVEL=0' </dev/null >"$T_DIR/tls11.out" 2>&1; then
		fail "a TLS 1.1 handshake succeeded: $(grep '^New,' "$T_DIR/tls11.out")"
	fi
	grep -q '^New, (NONE)' "$T_DIR/tls11.out" || fail "TLS 1.1 probe: $(cat "$T_DIR/tls11.out")"
	if timeout 10 openssl s_client -connect "127.0.0.1:$port" -tls1 \
		-cipher 'ALL:@SECLEVEL=0' </dev/null >/dev/null 2>&1; then
		fail "a TLS 1.0 handshake succeeded"
	fi
	ok "TLS 1.0 and 1.1 are refused, 1.2 and 1.3 accepted"
else
	handshake -tls1_2 && ok "TLS 1.2 accepted (this openssl cannot offer TLS 1.1: check skipped)"
fi

t_finish

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

t_finish

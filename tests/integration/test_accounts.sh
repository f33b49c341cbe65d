#!/bin/bash
# Accounts and directory end to end: init, enrollment, login, roles,
# suspension, session expiry, password change, recovery and key rotation,
# all through the real CLI against a real dissentd.
. "$(dirname "$0")/lib.sh"

# Sessions idle out after 3 s so expiry can be observed.
t_admin_ready --set session_idle_ttl=3

as admin whoami --json >"$T_DIR/whoami.json"
grep -q '"handle":"admin"' "$T_DIR/whoami.json" || fail "admin whoami: $(cat "$T_DIR/whoami.json")"
ok "first admin enrolls with the code from init and logs in"

expect_exit 5 as admin member show nobody
ok "an unknown member is not found"

as admin org create usaid "U.S. Agency for International Development" >/dev/null
expect_exit 6 as admin org create usaid "Again"
ok "an organisation is created once; a duplicate is refused"

add_member alice state member
add_member bob usaid member,coordinator
add_member carl usaid member --ineligible
as admin member show carl --json | grep -q '"eligible":false' || fail "carl eligible"
ok "members of two organisations enroll with their own codes"

expect_exit 5 as dave enroll --code-fd 3 --password-fd 4 "${KDF_FLAGS[@]}" \
	--recovery-code-file "$T_DIR/dave.recovery" \
	3< <(echo AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH) 4< <(password_of dave; echo)
ok "an unknown enrollment code is refused"

as admin member create --handle dave --name "Dave" --org state --roles member \
	--code-file "$T_DIR/dave.code" >/dev/null
cp "$T_DIR/dave.code" "$T_DIR/dave.code.copy"
enroll dave "$T_DIR/dave.code"
expect_exit 5 as mallory enroll --code-fd 3 --password-fd 4 "${KDF_FLAGS[@]}" \
	--recovery-code-file "$T_DIR/mallory.recovery" \
	3<"$T_DIR/dave.code.copy" 4< <(password_of mallory; echo)
ok "an enrollment code works only once"

expect_exit 6 as admin member create --handle alice --name "Alice 2" --org state --roles member
expect_exit 1 as admin member create --handle admin2 --name "Admin Member" --org state --roles admin,member
expect_exit 1 as admin member create --handle eve --name "Eve" --org nowhere --roles member
ok "duplicate handles, admin combined with another role and unknown orgs are refused"

login alice
as alice whoami --json | grep -q '"handle":"alice"' || fail "alice whoami"
ok "a member logs in with her password"

expect_exit 3 as bob login --handle bob --password-fd 3 3< <(echo "wrong password entirely")
expect_exit 3 as bob login --handle nosuchuser --password-fd 3 3< <(echo "wrong password entirely")
ok "a wrong password and an unknown handle are both refused as bad credentials"

expect_exit 4 as alice member create --handle zed --name "Zed" --org state --roles member
expect_exit 4 as alice org create dod "Defense"
ok "a member calling an admin endpoint is forbidden"

as alice member list --json | grep -q '"handle":"bob"' || fail "alice cannot list the directory"
ok "any member reads the directory"

login bob
as admin member suspend bob >/dev/null
expect_exit 3 as bob whoami
expect_exit 4 as bob login --handle bob --password-fd 3 3< <(password_of bob; echo)
ok "a suspended member's session ends and the member cannot log in"

as admin member reinstate bob >/dev/null
login bob
ok "a reinstated member logs in again"

as admin member update alice --roles member,principal >/dev/null
as admin member show alice --json | grep -q 'principal' || fail "role change not shown"
ok "an admin changes a member's roles"

login alice
sleep 5
expect_exit 3 as alice whoami
ok "an idle session expires"

login alice
as alice password change --password-fd 3 \
	3< <(password_of alice; echo; echo "a brand new passphrase"; echo) >/dev/null
expect_exit 3 as alice login --handle alice --password-fd 3 3< <(password_of alice; echo)
as alice login --handle alice --password-fd 3 3< <(echo "a brand new passphrase") >/dev/null
ok "a password change takes effect and the old password stops working"

fp_before=$(as alice key show --json | grep -o '"fingerprint":"[^"]*"')
expect_exit 3 as alice key rotate --password-fd 3 \
	--recovery-code-file "$T_DIR/alice.recovery-wrong" \
	3< <(echo "not the passphrase at all")
[ ! -e "$T_DIR/alice.recovery-wrong" ] || fail "a refused rotation left a recovery code file"
[ "$fp_before" = "$(as alice key show --json | grep -o '"fingerprint":"[^"]*"')" ] ||
	fail "a rotation with a wrong password changed the keys"
ok "key rotation needs the current password"

# A second session of alice's (another home) must not survive the rotation.
as alice2 server set "$T_URL" >/dev/null
as alice2 login --handle alice --password-fd 3 3< <(echo "a brand new passphrase") >/dev/null
as alice2 whoami >/dev/null
as alice key rotate --password-fd 3 --recovery-code-file "$T_DIR/alice.recovery2" \
	3< <(echo "a brand new passphrase") >/dev/null
fp_after=$(as alice key show --json | grep -o '"fingerprint":"[^"]*"')
[ "$fp_before" != "$fp_after" ] || fail "key rotation did not change the fingerprint"
expect_exit 3 as alice2 whoami
ok "key rotation ends every other session"
login bob
as bob key show alice --json | grep -q '"epoch":2' || fail "rotated keys not at epoch 2"
as alice logout >/dev/null
as alice login --handle alice --password-fd 3 3< <(echo "a brand new passphrase") >/dev/null
ok "key rotation publishes new keys at the next epoch and login still unwraps the seed"

as alice logout >/dev/null
expect_exit 3 as alice whoami
ok "logout ends the session"

as dave recover --handle dave --recovery-fd 3 --password-fd 4 \
	--recovery-code-file "$T_DIR/dave.recovery2" \
	3<"$T_DIR/dave.recovery" 4< <(echo "recovered passphrase 1") >/dev/null
as dave login --handle dave --password-fd 3 3< <(echo "recovered passphrase 1") >/dev/null
expect_exit 3 as dave recover --handle dave --recovery-fd 3 --password-fd 4 \
	--recovery-code-file "$T_DIR/dave.recovery3" \
	3<"$T_DIR/dave.recovery" 4< <(echo "recovered passphrase 2")
ok "the recovery code resets the password once and is replaced"

login bob
as bob totp setup >/dev/null
expect_exit 3 as bob totp enable --password-fd 3 --totp-fd 4 \
	3< <(echo "not bob's passphrase") 4< <(echo 123456)
grep -q bad_credentials "$T_DIR/last.err" || fail "totp enable: $(cat "$T_DIR/last.err")"
ok "turning TOTP on needs the password"

for secret in "$(password_of alice)" "a brand new passphrase" "$(cat "$T_DIR/dave.recovery2")"; do
	if grep -rqF -- "$secret" "$T_LOG" "$T_DATA"; then
		fail "a secret reached the server's log or data directory"
	fi
done
ok "no password or recovery code reaches the server's log or data directory"

t_finish

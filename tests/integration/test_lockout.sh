#!/bin/bash
# Failed logins are rate-limited per account: after the configured number of
# failures even the right password is refused until the lock expires.
. "$(dirname "$0")/lib.sh"

t_admin_ready --set login_max_failures=3 --set login_lock_seconds=2
add_member alice state member

for _ in 1 2 3; do
	expect_exit 3 as alice login --handle alice --password-fd 3 3< <(echo "not the password at all")
done
expect_exit 8 as alice login --handle alice --password-fd 3 3< <(password_of alice; echo)
ok "after three failures the account is locked, even for the right password"

sleep 3
login alice
ok "the lock expires and the right password works again"

t_finish

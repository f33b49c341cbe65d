#ifndef CMD_AUTH_H_
#define CMD_AUTH_H_

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "custody.h"

/*
 * The account commands: `dissent login`, `logout`, `whoami`,
 * `password change`, `recover` and `totp setup|enable|disable`.
 */
extern const struct cli_noun cmd_auth_login_noun;
extern const struct cli_noun cmd_auth_logout_noun;
extern const struct cli_noun cmd_auth_whoami_noun;
extern const struct cli_noun cmd_auth_password_noun;
extern const struct cli_noun cmd_auth_recover_noun;
extern const struct cli_noun cmd_auth_totp_noun;

/**
 * cmd_auth_password_keys(c, handle, pw, pwlen, auth, wrap):
 * Ask the server for ${handle}'s password salt and cost and derive the
 * authentication and wrapping keys of ${pw}.  A cost outside the range a
 * client accepts is an integrity failure: a server asking for a cheap
 * derivation would make the authentication key it receives easy to
 * brute-force into the password.  Return CLI_PROCEED or an exit status.
 */
int cmd_auth_password_keys(struct cli *c, const char *handle, const char *pw,
    size_t pwlen, uint8_t auth[CUSTODY_KEY_BYTES],
    uint8_t wrap[CUSTODY_KEY_BYTES]) __attribute__((warn_unused_result));

#endif /* !CMD_AUTH_H_ */

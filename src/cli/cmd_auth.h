#ifndef CMD_AUTH_H_
#define CMD_AUTH_H_

#include "cli.h"

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

#endif /* !CMD_AUTH_H_ */

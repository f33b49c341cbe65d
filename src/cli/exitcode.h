#ifndef EXITCODE_H_
#define EXITCODE_H_

/*
 * The CLI's exit codes (docs/CLI.md, "Exit codes").  Scripts depend on
 * them: never renumber.
 */
#define CLI_EXIT_OK 0        /* done */
#define CLI_EXIT_ERROR 1     /* server or unexpected error */
#define CLI_EXIT_USAGE 2     /* bad command line or input */
#define CLI_EXIT_AUTH 3      /* authentication needed or failed (401) */
#define CLI_EXIT_FORBIDDEN 4 /* forbidden or suspended (403) */
#define CLI_EXIT_NOTFOUND 5  /* not found or expired (404, 410) */
#define CLI_EXIT_CONFLICT 6  /* conflict (409) */
#define CLI_EXIT_NETWORK 7   /* cannot reach the server; TLS failure */
#define CLI_EXIT_RATELIMIT 8 /* rate limited or locked (429) */
#define CLI_EXIT_INTEGRITY 9 /* server key changed; keys or proofs wrong */
/*
 * `dissent audit` only: the log is consistent, but its deadline_missed
 * events disagree with the deadlines the audit computes.
 */
#define CLI_EXIT_FINDINGS 10

#endif /* !EXITCODE_H_ */

#ifndef AUTH_H_
#define AUTH_H_

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "store.h"

/*
 * Sessions as the server sees them: from a token (Bearer or cookie) to the
 * active member it belongs to, and the Set-Cookie values that carry it.
 */

enum auth_result {
	AUTH_OK = 0,
	AUTH_INVALID, /* malformed, unknown, expired, or member not active */
	AUTH_ERROR    /* the store failed */
};

/* Longest Set-Cookie value auth_cookie() writes. */
#define AUTH_COOKIE_MAX 160

/**
 * auth_session(s, p, token, now, sess, m):
 * Find the session of ${token} at ${now} under the policy ${p}, and the
 * member it belongs to, into ${sess} and ${m}.  An expired session is
 * deleted; a session still in use has its last_seen rewritten now and then
 * (account_session_needs_touch()).  Only an active member's session is
 * valid, so suspension takes effect on the next request.  Return AUTH_OK,
 * AUTH_INVALID or AUTH_ERROR.
 */
enum auth_result auth_session(struct store *s, const struct account_policy *p,
    const char *token, int64_t now, struct store_session *sess,
    struct store_member *m);

/**
 * auth_cookie(out, cap, token, max_age, tls):
 * Write the Set-Cookie value carrying ${token} for ${max_age} seconds
 * (HttpOnly, SameSite=Strict, Path=/, and Secure if ${tls}) into ${out}.
 * Return 0 or -1 if it does not fit.
 */
int auth_cookie(char *out, size_t cap, const char *token, int64_t max_age,
    int tls) __attribute__((warn_unused_result));

/**
 * auth_cookie_clear(out, cap, tls):
 * Write the Set-Cookie value that removes the session cookie.  Return 0 or
 * -1 if it does not fit.
 */
int auth_cookie_clear(char *out, size_t cap, int tls)
    __attribute__((warn_unused_result));

#endif /* !AUTH_H_ */

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "http.h"
#include "log.h"

/**
 * auth_session(s, p, token, now, sess, m):
 * Find the session of ${token} at ${now} under the policy ${p}, and the
 * member it belongs to, into ${sess} and ${m}.  An expired session is
 * deleted; a session still in use has its last_seen rewritten now and then
 * (account_session_needs_touch()).  Only an active member's session is
 * valid, so suspension takes effect on the next request.  Return AUTH_OK,
 * AUTH_INVALID or AUTH_ERROR.
 */
enum auth_result
auth_session(struct store *s, const struct account_policy *p, const char *token,
    int64_t now, struct store_session *sess, struct store_member *m)
{
	uint8_t hash[ACCOUNT_HASH_BYTES];
	int rc;

	if (account_token_hash(hash, token) != 0)
		return (AUTH_INVALID);
	if ((rc = store_session_get(s, hash, sess)) == STORE_NOTFOUND)
		return (AUTH_INVALID);
	if (rc != STORE_OK)
		return (AUTH_ERROR);
	if (!account_session_valid(sess, p, now)) {
		/* Expired: forget it now rather than at the next purge. */
		if (store_session_delete(s, hash) != STORE_OK)
			log_msg(LOG_WARN, "cannot delete an expired session");
		return (AUTH_INVALID);
	}
	if ((rc = store_member_get(s, sess->member_id, m)) == STORE_NOTFOUND)
		return (AUTH_INVALID);
	if (rc != STORE_OK)
		return (AUTH_ERROR);
	if (m->status != STORE_MEMBER_ACTIVE)
		return (AUTH_INVALID);
	if (account_session_needs_touch(sess, p, now)) {
		/* Losing one touch only shortens the idle time: go on. */
		if (store_session_touch(s, hash, now) != STORE_OK)
			log_msg(LOG_WARN, "cannot record session activity");
		else
			sess->last_seen = now;
	}
	return (AUTH_OK);
}

/**
 * auth_cookie(out, cap, token, max_age, tls):
 * Write the Set-Cookie value carrying ${token} for ${max_age} seconds
 * (HttpOnly, SameSite=Strict, Path=/, and Secure if ${tls}) into ${out}.
 * Return 0 or -1 if it does not fit.
 */
int
auth_cookie(char *out, size_t cap, const char *token, int64_t max_age, int tls)
{
	int len;

	len = snprintf(out, cap,
	    HTTP_SESSION_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; "
				"Max-Age=%lld%s",
	    token, (long long)max_age, tls ? "; Secure" : "");
	if (len < 0 || (size_t)len >= cap) {
		sodium_memzero(out, cap);
		return (-1);
	}
	return (0);
}

/**
 * auth_cookie_clear(out, cap, tls):
 * Write the Set-Cookie value that removes the session cookie.  Return 0 or
 * -1 if it does not fit.
 */
int
auth_cookie_clear(char *out, size_t cap, int tls)
{

	return (auth_cookie(out, cap, "", 0, tls));
}

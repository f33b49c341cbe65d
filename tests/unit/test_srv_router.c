/*
 * Routing (src/server/router.c): pattern matching, 404 and 405 with Allow,
 * and the checks on dissentd's own route table, including which access
 * class each endpoint has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "router.h"
#include "routes.h"

static void
h1(struct route_ctx *ctx)
{
	(void)ctx;
}

static void
h2(struct route_ctx *ctx)
{
	(void)ctx;
}

static const struct route table[] = {
    {ROUTER_GET, "/api/v1/health", ACCESS_PUBLIC, 0, NULL, h1},
    {ROUTER_GET, "/api/v1/members", ACCESS_SESSION, 0, NULL, h1},
    {ROUTER_POST, "/api/v1/members", ACCESS_ADMIN, 0, &routes_empty_spec, h2},
    {ROUTER_GET, "/api/v1/members/{id}", ACCESS_SESSION, 0, NULL, h1},
    {ROUTER_PATCH, "/api/v1/members/{id}", ACCESS_ADMIN, 0, &routes_empty_spec,
	h2},
    {ROUTER_GET, "/api/v1/members/{id}/keys", ACCESS_SESSION, 0, NULL, h2},
    {ROUTER_GET, "/api/v1/a/{x}/b/{y}", ACCESS_SESSION, 0, NULL, h1},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

static struct router_match m;

static void
test_matches_a_literal_path(void **state)
{
	(void)state;
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET, "/api/v1/health", &m),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[0]);
	assert_int_equal(m.nparams, 0);
}

static void
test_chooses_the_route_of_the_method(void **state)
{
	(void)state;
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_POST, "/api/v1/members", &m),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[2]);
}

static void
test_captures_a_segment(void **state)
{
	(void)state;
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET,
		"/api/v1/members/m_0123456789abcdef01234567/keys", &m),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[5]);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.params[0], "m_0123456789abcdef01234567");
}

static void
test_captures_two_segments_in_order(void **state)
{
	(void)state;
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET, "/api/v1/a/one/b/two", &m),
	    ROUTER_FOUND);
	assert_int_equal(m.nparams, 2);
	assert_string_equal(m.params[0], "one");
	assert_string_equal(m.params[1], "two");
}

static void
test_unknown_path_is_not_found(void **state)
{
	(void)state;
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET, "/api/v1/nothing", &m),
	    ROUTER_NOT_FOUND);
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET, "/", &m), ROUTER_NOT_FOUND);
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET, "", &m), ROUTER_NOT_FOUND);
	assert_int_equal(router_match(table, NTABLE, ROUTER_GET,
			     "/api/v1/members/x/keys/more", &m),
	    ROUTER_NOT_FOUND);
}

static void
test_trailing_slash_is_not_found(void **state)
{
	(void)state;
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET, "/api/v1/health/", &m),
	    ROUTER_NOT_FOUND);
}

static void
test_empty_segment_is_not_captured(void **state)
{
	(void)state;
	assert_int_equal(router_match(table, NTABLE, ROUTER_GET,
			     "/api/v1/members//keys", &m),
	    ROUTER_NOT_FOUND);
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET, "/api//v1/health", &m),
	    ROUTER_NOT_FOUND);
}

static void
test_overlong_segment_is_not_captured(void **state)
{
	char path[64 + ROUTER_PARAM_MAX + 2];

	(void)state;
	memcpy(path, "/api/v1/members/", 16);
	memset(path + 16, 'a', ROUTER_PARAM_MAX + 1);
	path[16 + ROUTER_PARAM_MAX + 1] = '\0';
	assert_int_equal(router_match(table, NTABLE, ROUTER_GET, path, &m),
	    ROUTER_NOT_FOUND);
	path[16 + ROUTER_PARAM_MAX] = '\0';
	assert_int_equal(
	    router_match(table, NTABLE, ROUTER_GET, path, &m), ROUTER_FOUND);
}

static void
test_wrong_method_is_405_with_the_allowed_set(void **state)
{
	(void)state;
	assert_int_equal(router_match(table, NTABLE, ROUTER_DELETE,
			     "/api/v1/members/alice", &m),
	    ROUTER_METHOD_NOT_ALLOWED);
	assert_null(m.route);
	assert_int_equal(m.allow, ROUTER_GET | ROUTER_PATCH);
}

static void
test_unknown_method_is_405(void **state)
{
	(void)state;
	assert_int_equal(router_method("BREW"), 0);
	assert_int_equal(router_match(table, NTABLE, 0, "/api/v1/health", &m),
	    ROUTER_METHOD_NOT_ALLOWED);
	assert_int_equal(m.allow, ROUTER_GET);
}

static void
test_method_names_are_case_sensitive(void **state)
{
	(void)state;
	assert_int_equal(router_method("GET"), ROUTER_GET);
	assert_int_equal(router_method("PATCH"), ROUTER_PATCH);
	assert_int_equal(router_method("get"), 0);
	assert_int_equal(router_method("HEAD"), 0);
}

static void
test_allow_header_lists_methods_in_order(void **state)
{
	char allow[ROUTER_ALLOW_MAX];

	(void)state;
	assert_int_equal(
	    router_allow(allow, sizeof(allow), ROUTER_PATCH | ROUTER_GET), 0);
	assert_string_equal(allow, "GET, PATCH");
	assert_int_equal(router_allow(allow, sizeof(allow),
			     ROUTER_GET | ROUTER_POST | ROUTER_PATCH |
				 ROUTER_PUT | ROUTER_DELETE),
	    0);
	assert_string_equal(allow, "GET, POST, PATCH, PUT, DELETE");
	assert_int_equal(router_allow(allow, 5, ROUTER_GET | ROUTER_POST), -1);
}

static void
test_test_table_is_valid(void **state)
{
	(void)state;
	assert_int_equal(router_table_valid(table, NTABLE), 1);
}

static void
test_table_refuses_duplicate_shape(void **state)
{
	static const struct route bad[] = {
	    {ROUTER_GET, "/api/v1/members/{id}", ACCESS_SESSION, 0, NULL, h1},
	    {ROUTER_GET, "/api/v1/members/{handle}", ACCESS_SESSION, 0, NULL,
		h1},
	};

	(void)state;
	assert_int_equal(router_table_valid(bad, 2), 0);
}

static void
test_table_refuses_post_without_body_spec(void **state)
{
	static const struct route bad[] = {
	    {ROUTER_POST, "/api/v1/x", ACCESS_SESSION, 0, NULL, h1},
	};

	(void)state;
	assert_int_equal(router_table_valid(bad, 1), 0);
}

static void
test_table_refuses_get_with_body_spec(void **state)
{
	static const struct route bad[] = {
	    {ROUTER_GET, "/api/v1/x", ACCESS_SESSION, 0, &routes_empty_spec,
		h1},
	};

	(void)state;
	assert_int_equal(router_table_valid(bad, 1), 0);
}

static void
test_table_refuses_malformed_patterns(void **state)
{
	static const struct route bad1[] = {
	    {ROUTER_GET, "/api/v2/x", ACCESS_SESSION, 0, NULL, h1},
	};
	static const struct route bad2[] = {
	    {ROUTER_GET, "/api/v1/x/", ACCESS_SESSION, 0, NULL, h1},
	};
	static const struct route bad3[] = {
	    {ROUTER_GET, "/api/v1/{a}/{b}/{c}", ACCESS_SESSION, 0, NULL, h1},
	};
	static const struct route bad4[] = {
	    {ROUTER_GET, "/api/v1/x{a}", ACCESS_SESSION, 0, NULL, h1},
	};

	(void)state;
	assert_int_equal(router_table_valid(bad1, 1), 0);
	assert_int_equal(router_table_valid(bad2, 1), 0);
	assert_int_equal(router_table_valid(bad3, 1), 0);
	assert_int_equal(router_table_valid(bad4, 1), 0);
}

static void
test_dissentd_table_is_valid(void **state)
{
	(void)state;
	assert_int_equal(router_table_valid(routes_table, routes_count), 1);
}

/* The access class of dissentd's route ${method} ${pattern}. */
static enum access_class
class_of(unsigned int method, const char *pattern)
{
	size_t i;

	for (i = 0; i < routes_count; i++)
		if (routes_table[i].method == method &&
		    strcmp(routes_table[i].pattern, pattern) == 0)
			return (routes_table[i].access);
	fail_msg("no route %s", pattern);
	return (ACCESS_CONTENT);
}

static void
test_every_documented_endpoint_has_its_class(void **state)
{
	static const struct {
		unsigned int method;
		const char *pattern;
		enum access_class cls;
		int rate_limited;
	} want[] = {
	    {ROUTER_GET, "/api/v1/health", ACCESS_PUBLIC, 0},
	    {ROUTER_GET, "/api/v1/instance", ACCESS_PUBLIC, 0},
	    {ROUTER_POST, "/api/v1/enroll/lookup", ACCESS_PUBLIC, 1},
	    {ROUTER_POST, "/api/v1/enroll", ACCESS_PUBLIC, 1},
	    {ROUTER_POST, "/api/v1/auth/params", ACCESS_PUBLIC, 1},
	    {ROUTER_POST, "/api/v1/auth/login", ACCESS_PUBLIC, 1},
	    {ROUTER_POST, "/api/v1/auth/logout", ACCESS_SESSION, 0},
	    {ROUTER_GET, "/api/v1/auth/session", ACCESS_SESSION, 0},
	    {ROUTER_POST, "/api/v1/auth/password", ACCESS_SESSION, 0},
	    {ROUTER_POST, "/api/v1/auth/recovery/fetch", ACCESS_PUBLIC, 1},
	    {ROUTER_POST, "/api/v1/auth/recovery/reset", ACCESS_PUBLIC, 1},
	    {ROUTER_POST, "/api/v1/auth/totp/setup", ACCESS_SESSION, 0},
	    {ROUTER_POST, "/api/v1/auth/totp/enable", ACCESS_SESSION, 0},
	    {ROUTER_POST, "/api/v1/auth/totp/disable", ACCESS_SESSION, 0},
	    {ROUTER_GET, "/api/v1/members/{id}/keys", ACCESS_SESSION, 0},
	    {ROUTER_POST, "/api/v1/keys/rotate", ACCESS_SESSION, 0},
	    {ROUTER_GET, "/api/v1/orgs", ACCESS_SESSION, 0},
	    {ROUTER_POST, "/api/v1/orgs", ACCESS_ADMIN, 0},
	    {ROUTER_GET, "/api/v1/members", ACCESS_SESSION, 0},
	    {ROUTER_POST, "/api/v1/members", ACCESS_ADMIN, 0},
	    {ROUTER_GET, "/api/v1/members/{id}", ACCESS_SESSION, 0},
	    {ROUTER_PATCH, "/api/v1/members/{id}", ACCESS_ADMIN, 0},
	    {ROUTER_POST, "/api/v1/members/{id}/suspend", ACCESS_ADMIN, 0},
	    {ROUTER_POST, "/api/v1/members/{id}/reinstate", ACCESS_ADMIN, 0},
	    {ROUTER_POST, "/api/v1/members/{id}/enrollment", ACCESS_ADMIN, 0},
	    {ROUTER_GET, "/api/v1/log/head", ACCESS_SESSION, 0},
	    {ROUTER_GET, "/api/v1/log/heads/{size}", ACCESS_SESSION, 0},
	    {ROUTER_GET, "/api/v1/log/entries", ACCESS_SESSION, 0},
	    {ROUTER_GET, "/api/v1/log/inclusion", ACCESS_SESSION, 0},
	    {ROUTER_GET, "/api/v1/log/consistency", ACCESS_SESSION, 0},
	    {ROUTER_GET, "/api/v1/memos", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/versions", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/versions", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/versions/{n}", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/grants", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/open", ACCESS_CONTENT, 0},
	    {ROUTER_PUT, "/api/v1/memos/{id}/settings", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/invitations", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/invitations", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/roster-grants", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/roster-grants", ACCESS_CONTENT,
		0},
	    {ROUTER_GET, "/api/v1/memos/{id}/signatures", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/signatures", ACCESS_CONTENT, 0},
	    {ROUTER_DELETE, "/api/v1/memos/{id}/signatures/mine",
		ACCESS_CONTENT, 0},
	    {ROUTER_DELETE, "/api/v1/memos/{id}/signatures/{tag}",
		ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/ring", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/anonymous-signatures",
		ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/anonymous-signatures",
		ACCESS_PUBLIC, 1},
	    {ROUTER_POST, "/api/v1/memos/{id}/anonymous-signatures/withdraw",
		ACCESS_PUBLIC, 1},
	    {ROUTER_POST, "/api/v1/memos/{id}/submit", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/receipt", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/withdraw", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/accesses", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/channel", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/channel/key", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/channel/grants", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/channel/grant", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/channel/inbox", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/standard-principals", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/ack", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/redirect", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/assign", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/distribute", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/distributions", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/distributions/{member}/approve",
		ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/replies", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/memos/{id}/replies", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/close", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/memos/{id}/meetings", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/meetings", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/meetings/{mid}/schedule", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/meetings/{mid}/outcome", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/auditors", ACCESS_CONTENT, 0},
	    {ROUTER_POST, "/api/v1/complaints", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/complaints", ACCESS_CONTENT, 0},
	    {ROUTER_GET, "/api/v1/stats", ACCESS_CONTENT, 0},
	};
	size_t i, j;

	(void)state;
	assert_int_equal(routes_count, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(
		    class_of(want[i].method, want[i].pattern), want[i].cls);
		for (j = 0; j < routes_count; j++)
			if (routes_table[j].method == want[i].method &&
			    strcmp(routes_table[j].pattern, want[i].pattern) ==
				0)
				assert_int_equal((routes_table[j].flags &
						     ROUTE_RATE_LIMITED) != 0,
				    want[i].rate_limited);
	}
}

/*
 * Only the routes whose bodies carry memo ciphertext or a ring signature
 * take large bodies; everything else keeps the small limit.
 */
static void
test_only_ciphertext_routes_take_large_bodies(void **state)
{
	static const struct {
		unsigned int method;
		const char *pattern;
	} large[] = {
	    {ROUTER_POST, "/api/v1/memos"},
	    {ROUTER_POST, "/api/v1/memos/{id}/versions"},
	    {ROUTER_POST, "/api/v1/memos/{id}/redirect"},
	    {ROUTER_POST, "/api/v1/memos/{id}/distribute"},
	    {ROUTER_POST, "/api/v1/memos/{id}/replies"},
	    {ROUTER_POST, "/api/v1/meetings/{mid}/outcome"},
	    {ROUTER_POST, "/api/v1/complaints"},
	    {ROUTER_POST, "/api/v1/memos/{id}/anonymous-signatures"},
	    {ROUTER_POST, "/api/v1/memos/{id}/anonymous-signatures/withdraw"},
	};
	size_t i, j;
	int want;

	(void)state;
	for (j = 0; j < routes_count; j++) {
		want = 0;
		for (i = 0; i < sizeof(large) / sizeof(large[0]); i++)
			if (routes_table[j].method == large[i].method &&
			    strcmp(routes_table[j].pattern, large[i].pattern) ==
				0)
				want = 1;
		assert_int_equal(
		    (routes_table[j].flags & ROUTE_LARGE_BODY) != 0, want);
	}
}

/*
 * Nothing under the memo and channel paths is reachable by an admin,
 * except posting (and withdrawing) an anonymous signature: public, since
 * it must be sent without a session, refusing every session, and
 * answering counts only.
 */
static void
test_every_memo_route_is_content_class(void **state)
{
	static const char *prefixes[] = {"/api/v1/memos", "/api/v1/channel",
	    "/api/v1/invitations", "/api/v1/meetings", "/api/v1/complaints",
	    "/api/v1/auditors", "/api/v1/stats", "/api/v1/standard-principals"};
	static const char *anonymous[] = {
	    "/api/v1/memos/{id}/anonymous-signatures",
	    "/api/v1/memos/{id}/anonymous-signatures/withdraw"};
	size_t i, j, k, npublic = 0;
	int anon;

	(void)state;
	for (j = 0; j < routes_count; j++) {
		anon = 0;
		for (k = 0; k < sizeof(anonymous) / sizeof(anonymous[0]); k++)
			if (routes_table[j].method == ROUTER_POST &&
			    strcmp(routes_table[j].pattern, anonymous[k]) == 0)
				anon = 1;
		if (anon) {
			assert_int_equal(routes_table[j].access, ACCESS_PUBLIC);
			npublic++;
			continue;
		}
		for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			if (strncmp(routes_table[j].pattern, prefixes[i],
				strlen(prefixes[i])) == 0)
				assert_int_equal(
				    routes_table[j].access, ACCESS_CONTENT);
	}
	assert_int_equal(npublic, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matches_a_literal_path),
	    cmocka_unit_test(test_chooses_the_route_of_the_method),
	    cmocka_unit_test(test_captures_a_segment),
	    cmocka_unit_test(test_captures_two_segments_in_order),
	    cmocka_unit_test(test_unknown_path_is_not_found),
	    cmocka_unit_test(test_trailing_slash_is_not_found),
	    cmocka_unit_test(test_empty_segment_is_not_captured),
	    cmocka_unit_test(test_overlong_segment_is_not_captured),
	    cmocka_unit_test(test_wrong_method_is_405_with_the_allowed_set),
	    cmocka_unit_test(test_unknown_method_is_405),
	    cmocka_unit_test(test_method_names_are_case_sensitive),
	    cmocka_unit_test(test_allow_header_lists_methods_in_order),
	    cmocka_unit_test(test_test_table_is_valid),
	    cmocka_unit_test(test_table_refuses_duplicate_shape),
	    cmocka_unit_test(test_table_refuses_post_without_body_spec),
	    cmocka_unit_test(test_table_refuses_get_with_body_spec),
	    cmocka_unit_test(test_table_refuses_malformed_patterns),
	    cmocka_unit_test(test_dissentd_table_is_valid),
	    cmocka_unit_test(test_every_documented_endpoint_has_its_class),
	    cmocka_unit_test(test_only_ciphertext_routes_take_large_bodies),
	    cmocka_unit_test(test_every_memo_route_is_content_class),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/*
 * Memo cryptography and formats (docs/PROTOCOL.md, "Memos"): ids, markings,
 * topics, the content encoding and its checks, the version hash, content
 * and reply boxes, named signatures, sealed signer records, the duplicate
 * tag and the package hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "aead.h"
#include "binenc.h"
#include "dhash.h"
#include "grant.h"
#include "keys.h"
#include "memo.h"

#define MEMO "d_0123456789abcdef01234567"
#define MEMO2 "d_0123456789abcdef01234568"
#define SIGNER "m_00112233445566778899aabb"
#define SIGNER2 "m_00112233445566778899aabc"

/* A sealed signer record, as memo_package_hash() takes them. */
typedef const uint8_t record[MEMO_RECORD_SEALED_BYTES];

/* A valid content with every field set. */
static void
sample(struct memo_content *c)
{

	memset(c, 0, sizeof(*c));
	c->title = "Reconsider the visa policy";
	c->summary = "Short summary.";
	c->body = "# Body\n\nLine one.\r\n\tIndented, caf\xc3\xa9 \xe2\x9c\x93 "
		  "\xf0\x9f\x98\x80.";
	c->alternatives = "1. Keep it.\n2. Drop it.";
	memcpy(c->topic, "policy", 7);
	memcpy(c->marking, "SBU", 4);
}

/* A malloc'd string of ${n} copies of ${ch}. */
static char *
filled(size_t n, char ch)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, ch, n);
	s[n] = '\0';
	return (s);
}

static void
encode(const struct memo_content *c, uint8_t **buf, size_t *len)
{

	assert_int_equal(memo_content_encode(c, buf, len), 0);
}

/*
 * Encode fields by hand (no checks): u8 format, then six str fields given
 * as (pointer, length) pairs, then ${extra} bytes.
 */
static size_t
encode_raw(uint8_t *out, size_t cap, uint8_t format, const char *const f[6],
    const size_t n[6], size_t extra)
{
	struct binenc e;
	size_t len, i;

	binenc_init(&e, out, cap);
	binenc_u8(&e, format);
	for (i = 0; i < 6; i++)
		binenc_var(&e, (const uint8_t *)f[i], n[i]);
	for (i = 0; i < extra; i++)
		binenc_u8(&e, 0);
	assert_int_equal(binenc_finish(&e, &len), 0);
	return (len);
}

/* Encode the sample with field ${which} replaced by ${v} of ${vlen} bytes. */
static size_t
encode_with(uint8_t *out, size_t cap, size_t which, const char *v, size_t vlen)
{
	const char *f[6] = {"policy", "SBU", "Title", "", "Body", ""};
	size_t n[6], i;

	for (i = 0; i < 6; i++)
		n[i] = strlen(f[i]);
	f[which] = v;
	n[which] = vlen;
	return (encode_raw(out, cap, 1, f, n, 0));
}

static int
decodes(const uint8_t *buf, size_t len)
{
	struct memo_content c;
	int rc;

	rc = memo_content_decode(&c, buf, len);
	memo_content_free(&c);
	return (rc);
}

static void
roster(uint8_t pk[MEMO_ROSTER_PK_BYTES], uint8_t sk[MEMO_ROSTER_SK_BYTES])
{

	memo_roster_keypair(pk, sk);
}

static void
derive(struct keys_secret *ks, uint8_t fill)
{
	uint8_t seed[KEYS_SEED_BYTES];

	memset(seed, fill, sizeof(seed));
	assert_int_equal(keys_derive(ks, seed), 0);
}

/* A signed signature of SIGNER (keys from seed 0x07..) on MEMO. */
static void
signed_sample(struct memo_signature *s, struct keys_secret *ks)
{

	memset(s, 0, sizeof(*s));
	memcpy(s->memo_id, MEMO, sizeof(MEMO));
	s->version = 2;
	memset(s->version_hash, 0x5a, MEMO_HASH_BYTES);
	memcpy(s->signer_id, SIGNER, sizeof(SIGNER));
	s->key_epoch = 3;
	s->time = 1764400000;
	derive(ks, 7);
	assert_int_equal(memo_signature_sign(s, ks), 0);
}

/* The documented record plaintext of ${s} with ${tag}, padded with ${pad}. */
static void
record_plain(uint8_t m[MEMO_RECORD_PLAIN_BYTES], const struct memo_signature *s,
    const char *tag, uint8_t pad)
{
	struct binenc e;
	size_t len;

	memset(m, pad, MEMO_RECORD_PLAIN_BYTES);
	binenc_init(&e, m, MEMO_RECORD_PLAIN_BYTES);
	binenc_str(&e, tag);
	binenc_str(&e, s->memo_id);
	binenc_u32(&e, s->version);
	binenc_fixed(&e, s->version_hash, MEMO_HASH_BYTES);
	binenc_str(&e, s->signer_id);
	binenc_u32(&e, s->key_epoch);
	binenc_u64(&e, s->time);
	binenc_fixed(&e, s->sig, KEYS_SIG_BYTES);
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_true(len < MEMO_RECORD_PLAIN_BYTES);
}

static void
test_memo_id_new_is_valid_and_random(void **state)
{
	char a[MEMO_ID_LEN + 1], b[MEMO_ID_LEN + 1];

	(void)state;
	memo_id_new(a);
	memo_id_new(b);
	assert_int_equal(strlen(a), MEMO_ID_LEN);
	assert_true(memo_id_valid(a));
	assert_true(memo_id_valid(b));
	assert_string_not_equal(a, b);
}

static void
test_memo_id_valid_refuses_malformed(void **state)
{

	(void)state;
	assert_true(memo_id_valid(MEMO));
	assert_false(memo_id_valid(NULL));
	assert_false(memo_id_valid(""));
	assert_false(memo_id_valid("d_0123456789abcdef0123456"));
	assert_false(memo_id_valid("d_0123456789abcdef012345678"));
	assert_false(memo_id_valid("d_0123456789ABCDEF01234567"));
	assert_false(memo_id_valid("m_0123456789abcdef01234567"));
	assert_false(memo_id_valid("d-0123456789abcdef01234567"));
	assert_false(memo_id_valid("d_0123456789abcdef0123456g"));
}

static void
test_memo_marking_names_and_levels_agree(void **state)
{
	int i;

	(void)state;
	assert_int_equal(memo_marking_level("UNCLASSIFIED"), 0);
	assert_int_equal(memo_marking_level("SBU"), MEMO_MARKING_SBU);
	assert_int_equal(
	    memo_marking_level("CONFIDENTIAL"), MEMO_MARKING_CONFIDENTIAL);
	assert_int_equal(memo_marking_level("SECRET"), MEMO_MARKING_SECRET);
	assert_int_equal(
	    memo_marking_level("TOP SECRET"), MEMO_MARKING_TOP_SECRET);
	for (i = MEMO_MARKING_UNCLASSIFIED; i <= MEMO_MARKING_TOP_SECRET; i++) {
		assert_non_null(memo_marking_name(i));
		assert_true(strlen(memo_marking_name(i)) <= MEMO_MARKING_MAX);
		assert_int_equal(memo_marking_level(memo_marking_name(i)), i);
	}
	assert_null(memo_marking_name(-1));
	assert_null(memo_marking_name(MEMO_MARKING_TOP_SECRET + 1));
}

static void
test_memo_marking_level_refuses_unknown_names(void **state)
{

	(void)state;
	assert_int_equal(memo_marking_level(NULL), -1);
	assert_int_equal(memo_marking_level(""), -1);
	assert_int_equal(memo_marking_level("secret"), -1);
	assert_int_equal(memo_marking_level("TOP_SECRET"), -1);
	assert_int_equal(memo_marking_level("SECRET "), -1);
	assert_int_equal(memo_marking_level("RESTRICTED"), -1);
}

static void
test_memo_topic_valid_follows_rules(void **state)
{
	char *s;

	(void)state;
	assert_true(memo_topic_valid("policy"));
	assert_true(memo_topic_valid("a"));
	assert_true(memo_topic_valid("human-rights-2"));
	assert_false(memo_topic_valid(NULL));
	assert_false(memo_topic_valid(""));
	assert_false(memo_topic_valid("2policy"));
	assert_false(memo_topic_valid("-policy"));
	assert_false(memo_topic_valid("Policy"));
	assert_false(memo_topic_valid("pol icy"));
	assert_false(memo_topic_valid("pol_icy"));
	s = filled(MEMO_TOPIC_MAX, 'a');
	assert_true(memo_topic_valid(s));
	free(s);
	s = filled(MEMO_TOPIC_MAX + 1, 'a');
	assert_false(memo_topic_valid(s));
	free(s);
}

static void
test_memo_content_round_trips(void **state)
{
	struct memo_content c, back;
	uint8_t *buf, *again;
	size_t len, len2;

	(void)state;
	sample(&c);
	encode(&c, &buf, &len);
	assert_int_equal(memo_content_decode(&back, buf, len), 0);
	assert_string_equal(back.title, c.title);
	assert_string_equal(back.summary, c.summary);
	assert_string_equal(back.body, c.body);
	assert_string_equal(back.alternatives, c.alternatives);
	assert_string_equal(back.topic, c.topic);
	assert_string_equal(back.marking, c.marking);
	encode(&back, &again, &len2);
	assert_int_equal(len2, len);
	assert_memory_equal(again, buf, len);
	memo_content_free(&back);
	free(buf);
	free(again);
}

static void
test_memo_content_encoding_has_documented_layout(void **state)
{
	struct memo_content c;
	const char *f[6];
	size_t n[6], i, len, wantlen;
	uint8_t *buf, want[1024];

	(void)state;
	sample(&c);
	f[0] = c.topic;
	f[1] = c.marking;
	f[2] = c.title;
	f[3] = c.summary;
	f[4] = c.body;
	f[5] = c.alternatives;
	for (i = 0; i < 6; i++)
		n[i] = strlen(f[i]);
	wantlen = encode_raw(want, sizeof(want), 1, f, n, 0);
	encode(&c, &buf, &len);
	assert_int_equal(len, wantlen);
	assert_memory_equal(buf, want, len);
	free(buf);
}

static void
test_memo_content_null_optional_fields_encode_as_empty(void **state)
{
	struct memo_content c, back;
	uint8_t *buf;
	size_t len;

	(void)state;
	sample(&c);
	c.summary = NULL;
	c.alternatives = NULL;
	assert_true(memo_content_check(&c));
	encode(&c, &buf, &len);
	assert_int_equal(memo_content_decode(&back, buf, len), 0);
	assert_string_equal(back.summary, "");
	assert_string_equal(back.alternatives, "");
	memo_content_free(&back);
	free(buf);
}

static void
test_memo_content_refuses_missing_title_or_body(void **state)
{
	struct memo_content c;
	uint8_t *buf;
	size_t len;

	(void)state;
	assert_false(memo_content_check(NULL));
	sample(&c);
	c.title = "";
	assert_false(memo_content_check(&c));
	assert_int_equal(memo_content_encode(&c, &buf, &len), -1);
	assert_null(buf);
	c.title = NULL;
	assert_false(memo_content_check(&c));
	sample(&c);
	c.body = "";
	assert_false(memo_content_check(&c));
	c.body = NULL;
	assert_false(memo_content_check(&c));
}

/* The text field number ${which} of ${c}: title, summary, body, alternatives.
 */
static char **
text_field(struct memo_content *c, size_t which)
{

	switch (which) {
	case 0:
		return (&c->title);
	case 1:
		return (&c->summary);
	case 2:
		return (&c->body);
	default:
		return (&c->alternatives);
	}
}

static void
test_memo_content_check_enforces_field_limits(void **state)
{
	static const size_t max[4] = {MEMO_TITLE_MAX, MEMO_SUMMARY_MAX,
	    MEMO_BODY_MAX, MEMO_ALTERNATIVES_MAX};
	struct memo_content c;
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < 4; i++) {
		sample(&c);
		s = filled(max[i], 'x');
		*text_field(&c, i) = s;
		assert_true(memo_content_check(&c));
		free(s);
		s = filled(max[i] + 1, 'x');
		*text_field(&c, i) = s;
		assert_false(memo_content_check(&c));
		free(s);
	}
}

static void
test_memo_content_decode_refuses_oversize_fields(void **state)
{
	static const size_t max[6] = {MEMO_TOPIC_MAX, MEMO_MARKING_MAX,
	    MEMO_TITLE_MAX, MEMO_SUMMARY_MAX, MEMO_BODY_MAX,
	    MEMO_ALTERNATIVES_MAX};
	size_t cap = MEMO_CONTENT_MAX + 16, len, i;
	uint8_t *buf = malloc(cap);
	char *s;

	(void)state;
	assert_non_null(buf);
	/* Title, summary, body and alternatives: at the limit, and one over. */
	for (i = 2; i < 6; i++) {
		s = filled(max[i] + 1, 'x');
		len = encode_with(buf, cap, i, s, max[i]);
		assert_int_equal(decodes(buf, len), 0);
		len = encode_with(buf, cap, i, s, max[i] + 1);
		assert_int_equal(decodes(buf, len), -1);
		free(s);
	}
	/* Topic and marking one over their limits. */
	s = filled(MEMO_TOPIC_MAX + 1, 'a');
	len = encode_with(buf, cap, 0, s, MEMO_TOPIC_MAX + 1);
	assert_int_equal(decodes(buf, len), -1);
	free(s);
	s = filled(MEMO_MARKING_MAX + 1, 'A');
	len = encode_with(buf, cap, 1, s, MEMO_MARKING_MAX + 1);
	assert_int_equal(decodes(buf, len), -1);
	free(s);
	free(buf);
}

static void
test_memo_content_decode_refuses_huge_length_prefix(void **state)
{
	uint8_t buf[64];
	size_t len;

	(void)state;
	/* A body announcing 4 GiB with 4 bytes present: refused unread. */
	len = encode_with(buf, sizeof(buf), 4, "Body", 4);
	buf[len - 4 - 4 - 4] = 0xff;
	buf[len - 4 - 4 - 3] = 0xff;
	buf[len - 4 - 4 - 2] = 0xff;
	buf[len - 4 - 4 - 1] = 0xff;
	assert_int_equal(decodes(buf, len), -1);
}

static void
test_memo_content_refuses_control_characters_in_title(void **state)
{
	struct memo_content c;

	(void)state;
	sample(&c);
	c.title = "Tab\there";
	assert_false(memo_content_check(&c));
	c.title = "Line\nbreak";
	assert_false(memo_content_check(&c));
	c.title = "Return\r";
	assert_false(memo_content_check(&c));
	c.title = "Escape \x1b[31m";
	assert_false(memo_content_check(&c));
	c.title = "Plain title, caf\xc3\xa9";
	assert_true(memo_content_check(&c));
}

static void
test_memo_content_allows_only_tab_and_line_breaks_in_text(void **state)
{
	struct memo_content c;
	char **f;
	size_t i;

	(void)state;
	for (i = 1; i < 4; i++) {
		sample(&c);
		f = text_field(&c, i);
		*f = "a\tb\nc\r\nd";
		assert_true(memo_content_check(&c));
		*f = "bell\a";
		assert_false(memo_content_check(&c));
		*f = "escape\x1b";
		assert_false(memo_content_check(&c));
		*f = "del\x7f";
		assert_false(memo_content_check(&c));
		/* U+0085 (NEL) and U+009F: C1 controls. */
		*f = "nel\xc2\x85";
		assert_false(memo_content_check(&c));
		*f = "c1\xc2\x9f";
		assert_false(memo_content_check(&c));
		*f = "vertical\vtab";
		assert_false(memo_content_check(&c));
	}
}

static void
test_memo_content_refuses_invalid_utf8(void **state)
{
	static const char *bad[] = {
	    "overlong \xc0\xaf",         /* "/" in two bytes */
	    "overlong \xe0\x80\xaf",     /* "/" in three bytes */
	    "overlong \xf0\x80\x80\xaf", /* "/" in four bytes */
	    "surrogate \xed\xa0\x80",    /* U+D800 */
	    "surrogate \xed\xbf\xbf",    /* U+DFFF */
	    "beyond \xf4\x90\x80\x80",   /* U+110000 */
	    "lead \xf8\x88\x80\x80\x80",
	    "lead \xff",
	    "stray \x80",
	    "cut \xe2\x9c", /* U+2713 without its last byte */
	    "cut at end \xf0\x9f\x98",
	    "missing continuation \xc3(",
	};
	struct memo_content c;
	size_t i;
	uint8_t buf[128];
	size_t len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sample(&c);
		c.body = (char *)bad[i];
		assert_false(memo_content_check(&c));
		sample(&c);
		c.title = (char *)bad[i];
		assert_false(memo_content_check(&c));
		len = encode_with(buf, sizeof(buf), 4, bad[i], strlen(bad[i]));
		assert_int_equal(decodes(buf, len), -1);
	}
}

static void
test_memo_content_accepts_utf8_edges(void **state)
{
	struct memo_content c;

	(void)state;
	sample(&c);
	/* U+0080 is C1; U+00A0, U+07FF, U+0800, U+FFFD, U+10000, U+10FFFF. */
	c.body = "\xc2\xa0 \xdf\xbf \xe0\xa0\x80 \xef\xbf\xbd \xf0\x90\x80\x80 "
		 "\xf4\x8f\xbf\xbf \xee\x80\x80";
	assert_true(memo_content_check(&c));
}

static void
test_memo_content_refuses_unknown_marking(void **state)
{
	struct memo_content c;
	uint8_t buf[128];
	size_t len;

	(void)state;
	sample(&c);
	memcpy(c.marking, "secret", 7);
	assert_false(memo_content_check(&c));
	memcpy(c.marking, "", 1);
	assert_false(memo_content_check(&c));
	/* Not NUL-terminated within the array. */
	memset(c.marking, 'S', sizeof(c.marking));
	assert_false(memo_content_check(&c));
	len = encode_with(buf, sizeof(buf), 1, "RESTRICTED", 10);
	assert_int_equal(decodes(buf, len), -1);
}

static void
test_memo_content_refuses_bad_topic(void **state)
{
	struct memo_content c;
	uint8_t buf[128];
	size_t len;

	(void)state;
	sample(&c);
	memcpy(c.topic, "Policy", 7);
	assert_false(memo_content_check(&c));
	memcpy(c.topic, "", 1);
	assert_false(memo_content_check(&c));
	memset(c.topic, 'a', sizeof(c.topic));
	assert_false(memo_content_check(&c));
	len = encode_with(buf, sizeof(buf), 0, "9lives", 6);
	assert_int_equal(decodes(buf, len), -1);
	len = encode_with(buf, sizeof(buf), 0, "", 0);
	assert_int_equal(decodes(buf, len), -1);
}

static void
test_memo_content_decode_refuses_trailing_bytes(void **state)
{
	const char *f[6] = {"policy", "SBU", "Title", "", "Body", ""};
	size_t n[6], i, len;
	uint8_t buf[128];

	(void)state;
	for (i = 0; i < 6; i++)
		n[i] = strlen(f[i]);
	len = encode_raw(buf, sizeof(buf), 1, f, n, 0);
	assert_int_equal(decodes(buf, len), 0);
	len = encode_raw(buf, sizeof(buf), 1, f, n, 1);
	assert_int_equal(decodes(buf, len), -1);
}

static void
test_memo_content_decode_refuses_every_truncation(void **state)
{
	struct memo_content c;
	uint8_t *buf;
	size_t len, i;

	(void)state;
	sample(&c);
	encode(&c, &buf, &len);
	for (i = 0; i < len; i++)
		assert_int_equal(decodes(buf, i), -1);
	assert_int_equal(decodes(buf, len), 0);
	free(buf);
}

static void
test_memo_content_decode_refuses_unknown_format(void **state)
{
	const char *f[6] = {"policy", "SBU", "Title", "", "Body", ""};
	size_t n[6], i, len;
	uint8_t buf[128];

	(void)state;
	for (i = 0; i < 6; i++)
		n[i] = strlen(f[i]);
	len = encode_raw(buf, sizeof(buf), 0, f, n, 0);
	assert_int_equal(decodes(buf, len), -1);
	len = encode_raw(buf, sizeof(buf), 2, f, n, 0);
	assert_int_equal(decodes(buf, len), -1);
}

static void
test_memo_content_decode_refuses_nul_in_any_field(void **state)
{
	static const char *with_nul[6] = {
	    "pol\0icy", "SB\0U", "Ti\0tle", "S\0", "Bo\0dy", "A\0"};
	static const size_t n[6] = {7, 4, 6, 2, 5, 2};
	uint8_t buf[128];
	size_t i, len;

	(void)state;
	for (i = 0; i < 6; i++) {
		len = encode_with(buf, sizeof(buf), i, with_nul[i], n[i]);
		assert_int_equal(decodes(buf, len), -1);
	}
}

static void
test_memo_content_decode_leaves_content_empty_on_failure(void **state)
{
	struct memo_content c, zero;
	uint8_t buf[128];
	size_t len;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	/* Fails only at the last check (the invalid UTF-8 of the body). */
	len = encode_with(buf, sizeof(buf), 4, "\xff", 1);
	memset(&c, 0xaa, sizeof(c));
	assert_int_equal(memo_content_decode(&c, buf, len), -1);
	assert_memory_equal(&c, &zero, sizeof(c));
	memo_content_free(NULL);
}

static void
test_memo_version_hash_has_documented_layout(void **state)
{
	uint8_t prev[MEMO_HASH_BYTES], h[MEMO_HASH_BYTES],
	    want[MEMO_HASH_BYTES], rpk[MEMO_ROSTER_PK_BYTES];
	uint8_t m[256];
	const uint8_t content[] = "encoded content";
	struct binenc e;
	size_t len;

	(void)state;
	memset(prev, 0x11, sizeof(prev));
	memset(rpk, 0x22, sizeof(rpk));
	binenc_init(&e, m, sizeof(m));
	binenc_str(&e, MEMO);
	binenc_u32(&e, 7);
	binenc_fixed(&e, prev, sizeof(prev));
	binenc_fixed(&e, rpk, sizeof(rpk));
	binenc_var(&e, content, sizeof(content));
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(dhash(want, "dissent/memo-version/v1", m, len), 0);
	assert_int_equal(
	    memo_version_hash(h, MEMO, 7, prev, rpk, content, sizeof(content)),
	    0);
	assert_memory_equal(h, want, sizeof(h));
}

static void
test_memo_version_hash_depends_on_every_input(void **state)
{
	uint8_t prev[MEMO_HASH_BYTES] = {0}, prev2[MEMO_HASH_BYTES] = {0};
	uint8_t rpk[MEMO_ROSTER_PK_BYTES] = {0},
		rpk2[MEMO_ROSTER_PK_BYTES] = {0};
	uint8_t h[6][MEMO_HASH_BYTES];
	const uint8_t a[] = "content a", b[] = "content b";
	size_t i, j;

	(void)state;
	prev2[31] = 1;
	rpk2[0] = 1;
	assert_int_equal(memo_version_hash(h[0], MEMO, 1, prev, rpk, a, 9), 0);
	assert_int_equal(memo_version_hash(h[1], MEMO2, 1, prev, rpk, a, 9), 0);
	assert_int_equal(memo_version_hash(h[2], MEMO, 2, prev, rpk, a, 9), 0);
	assert_int_equal(memo_version_hash(h[3], MEMO, 1, prev2, rpk, a, 9), 0);
	assert_int_equal(memo_version_hash(h[4], MEMO, 1, prev, rpk, b, 9), 0);
	/* Another roster key: a server swapping it changes the hash. */
	assert_int_equal(memo_version_hash(h[5], MEMO, 1, prev, rpk2, a, 9), 0);
	for (i = 0; i < 6; i++)
		for (j = i + 1; j < 6; j++)
			assert_memory_not_equal(h[i], h[j], MEMO_HASH_BYTES);
}

static void
test_memo_version_hash_refuses_bad_id_or_version(void **state)
{
	uint8_t prev[MEMO_HASH_BYTES] = {0}, h[MEMO_HASH_BYTES];

	(void)state;
	assert_int_equal(
	    memo_version_hash(h, "d_nothex", 1, prev, prev, prev, 1), -1);
	assert_int_equal(
	    memo_version_hash(h, NULL, 1, prev, prev, prev, 1), -1);
	assert_int_equal(
	    memo_version_hash(h, MEMO, 0, prev, prev, prev, 1), -1);
	assert_int_equal(memo_version_hash(h, MEMO, 1, prev, prev, NULL,
			     MEMO_CONTENT_MAX + 1),
	    -1);
}

/* Seal the sample content of ${memo_id} version ${v} under ${key}. */
static void
sealed_sample(uint8_t **box, size_t *boxlen, uint8_t **content, size_t *len,
    uint8_t key[MEMO_KEY_BYTES])
{
	struct memo_content c;

	sample(&c);
	encode(&c, content, len);
	randombytes_buf(key, MEMO_KEY_BYTES);
	assert_int_equal(
	    memo_content_seal(box, boxlen, *content, *len, MEMO, 2, key), 0);
}

static void
test_memo_content_box_round_trips(void **state)
{
	uint8_t key[MEMO_KEY_BYTES], *box, *content, *out;
	size_t boxlen, len, outlen;

	(void)state;
	sealed_sample(&box, &boxlen, &content, &len, key);
	assert_int_equal(boxlen, len + MEMO_BOX_OVERHEAD);
	assert_int_equal(
	    memo_content_open(&out, &outlen, box, boxlen, MEMO, 2, key), 0);
	assert_int_equal(outlen, len);
	assert_memory_equal(out, content, len);
	free(out);
	free(box);
	free(content);
}

static void
test_memo_content_box_has_documented_ad(void **state)
{
	uint8_t key[MEMO_KEY_BYTES], *box, *content, ad[128], *m;
	size_t boxlen, len, adlen;
	struct binenc e;

	(void)state;
	sealed_sample(&box, &boxlen, &content, &len, key);
	binenc_init(&e, ad, sizeof(ad));
	binenc_str(&e, "dissent/memo-content/v1");
	binenc_str(&e, MEMO);
	binenc_u32(&e, 2);
	assert_int_equal(binenc_finish(&e, &adlen), 0);
	assert_non_null(m = malloc(len));
	assert_int_equal(aead_open(m, box, boxlen, ad, adlen, key), 0);
	assert_memory_equal(m, content, len);
	free(m);
	free(box);
	free(content);
}

static void
test_memo_content_open_refuses_other_memo_version_or_key(void **state)
{
	uint8_t key[MEMO_KEY_BYTES], key2[MEMO_KEY_BYTES], *box, *content, *out;
	size_t boxlen, len, outlen;

	(void)state;
	sealed_sample(&box, &boxlen, &content, &len, key);
	assert_int_equal(
	    memo_content_open(&out, &outlen, box, boxlen, MEMO2, 2, key), -1);
	assert_null(out);
	assert_int_equal(outlen, 0);
	assert_int_equal(
	    memo_content_open(&out, &outlen, box, boxlen, MEMO, 1, key), -1);
	assert_int_equal(
	    memo_content_open(&out, &outlen, box, boxlen, MEMO, 3, key), -1);
	memcpy(key2, key, sizeof(key));
	key2[0] ^= 1;
	assert_int_equal(
	    memo_content_open(&out, &outlen, box, boxlen, MEMO, 2, key2), -1);
	assert_null(out);
	free(box);
	free(content);
}

static void
test_memo_content_open_refuses_any_altered_byte(void **state)
{
	uint8_t key[MEMO_KEY_BYTES], *box, *content, *out;
	size_t boxlen, len, outlen, i;

	(void)state;
	sealed_sample(&box, &boxlen, &content, &len, key);
	for (i = 0; i < boxlen; i++) {
		box[i] ^= 0x01;
		assert_int_equal(
		    memo_content_open(&out, &outlen, box, boxlen, MEMO, 2, key),
		    -1);
		assert_null(out);
		box[i] ^= 0x01;
	}
	assert_int_equal(
	    memo_content_open(&out, &outlen, box, boxlen - 1, MEMO, 2, key),
	    -1);
	assert_int_equal(memo_content_open(&out, &outlen, box,
			     MEMO_BOX_OVERHEAD, MEMO, 2, key),
	    -1);
	assert_int_equal(memo_content_open(&out, &outlen, box, MEMO_BOX_MAX + 1,
			     MEMO, 2, key),
	    -1);
	free(box);
	free(content);
}

static void
test_memo_content_seal_refuses_bad_input(void **state)
{
	uint8_t key[MEMO_KEY_BYTES] = {0}, b = 1, *box;
	size_t boxlen;

	(void)state;
	assert_int_equal(
	    memo_content_seal(&box, &boxlen, &b, 0, MEMO, 1, key), -1);
	assert_null(box);
	assert_int_equal(
	    memo_content_seal(&box, &boxlen, &b, 1, "d_bad", 1, key), -1);
	assert_int_equal(
	    memo_content_seal(&box, &boxlen, &b, 1, MEMO, 0, key), -1);
	assert_int_equal(memo_content_seal(&box, &boxlen, &b,
			     MEMO_CONTENT_MAX + 1, MEMO, 1, key),
	    -1);
}

static void
test_memo_content_seal_is_randomised(void **state)
{
	uint8_t key[MEMO_KEY_BYTES], *box, *box2, *content;
	size_t boxlen, boxlen2, len;

	(void)state;
	sealed_sample(&box, &boxlen, &content, &len, key);
	assert_int_equal(
	    memo_content_seal(&box2, &boxlen2, content, len, MEMO, 2, key), 0);
	assert_int_equal(boxlen, boxlen2);
	assert_memory_not_equal(box, box2, boxlen);
	free(box);
	free(box2);
	free(content);
}

static void
test_memo_reply_round_trips_every_kind(void **state)
{
	static const uint8_t kinds[] = {MEMO_REPLY_KIND_REPLY,
	    MEMO_REPLY_KIND_REDIRECT, MEMO_REPLY_KIND_OUTCOME};
	const char *text = "Thank you.\n\nWe will \xe2\x80\x9c"
			   "consider\xe2\x80\x9d.";
	uint8_t key[MEMO_KEY_BYTES], *box;
	size_t boxlen, i;
	char *out;

	(void)state;
	randombytes_buf(key, sizeof(key));
	for (i = 0; i < sizeof(kinds); i++) {
		assert_int_equal(memo_reply_seal(&box, &boxlen, text, MEMO,
				     kinds[i], 4, key),
		    0);
		assert_int_equal(boxlen, 4 + strlen(text) + MEMO_BOX_OVERHEAD);
		assert_int_equal(
		    memo_reply_open(&out, box, boxlen, MEMO, kinds[i], 4, key),
		    0);
		assert_string_equal(out, text);
		free(out);
		free(box);
	}
}

/* Build the documented reply AD. */
static size_t
reply_ad(uint8_t *ad, size_t cap, const char *memo_id, uint8_t kind, uint32_t n)
{
	struct binenc e;
	size_t len;

	binenc_init(&e, ad, cap);
	binenc_str(&e, "dissent/memo-reply/v1");
	binenc_str(&e, memo_id);
	binenc_u8(&e, kind);
	binenc_u32(&e, n);
	assert_int_equal(binenc_finish(&e, &len), 0);
	return (len);
}

static void
test_memo_reply_box_has_documented_layout(void **state)
{
	uint8_t key[MEMO_KEY_BYTES], *box, ad[128], m[64], want[64];
	size_t boxlen, adlen, wantlen;
	struct binenc e;

	(void)state;
	randombytes_buf(key, sizeof(key));
	assert_int_equal(memo_reply_seal(&box, &boxlen, "Noted.", MEMO,
			     MEMO_REPLY_KIND_REDIRECT, 9, key),
	    0);
	adlen = reply_ad(ad, sizeof(ad), MEMO, MEMO_REPLY_KIND_REDIRECT, 9);
	assert_int_equal(aead_open(m, box, boxlen, ad, adlen, key), 0);
	binenc_init(&e, want, sizeof(want));
	binenc_str(&e, "Noted.");
	assert_int_equal(binenc_finish(&e, &wantlen), 0);
	assert_int_equal(boxlen - MEMO_BOX_OVERHEAD, wantlen);
	assert_memory_equal(m, want, wantlen);
	free(box);
}

static void
test_memo_reply_open_refuses_other_memo_kind_n_or_key(void **state)
{
	uint8_t key[MEMO_KEY_BYTES], *box;
	size_t boxlen;
	char *out;

	(void)state;
	randombytes_buf(key, sizeof(key));
	assert_int_equal(memo_reply_seal(&box, &boxlen, "Reply", MEMO,
			     MEMO_REPLY_KIND_REPLY, 1, key),
	    0);
	assert_int_equal(memo_reply_open(&out, box, boxlen, MEMO2,
			     MEMO_REPLY_KIND_REPLY, 1, key),
	    -1);
	assert_null(out);
	assert_int_equal(memo_reply_open(&out, box, boxlen, MEMO,
			     MEMO_REPLY_KIND_REDIRECT, 1, key),
	    -1);
	assert_int_equal(memo_reply_open(&out, box, boxlen, MEMO,
			     MEMO_REPLY_KIND_REPLY, 2, key),
	    -1);
	box[boxlen - 1] ^= 1;
	assert_int_equal(memo_reply_open(&out, box, boxlen, MEMO,
			     MEMO_REPLY_KIND_REPLY, 1, key),
	    -1);
	box[boxlen - 1] ^= 1;
	key[5] ^= 1;
	assert_int_equal(memo_reply_open(&out, box, boxlen, MEMO,
			     MEMO_REPLY_KIND_REPLY, 1, key),
	    -1);
	assert_null(out);
	free(box);
}

static void
test_memo_reply_seal_refuses_bad_text_kind_or_n(void **state)
{
	uint8_t key[MEMO_KEY_BYTES] = {0}, *box;
	size_t boxlen;
	char *big;

	(void)state;
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, "", MEMO, 1, 1, key), -1);
	assert_null(box);
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, NULL, MEMO, 1, 1, key), -1);
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, "a\x1b", MEMO, 1, 1, key), -1);
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, "a\xc0\xaf", MEMO, 1, 1, key), -1);
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, "a", MEMO, 0, 1, key), -1);
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, "a", MEMO, 4, 1, key), -1);
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, "a", MEMO, 1, 0, key), -1);
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, "a", "d_x", 1, 1, key), -1);
	big = filled(MEMO_REPLY_MAX, 'r');
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, big, MEMO, 1, 1, key), 0);
	assert_true(boxlen <= MEMO_REPLY_BOX_MAX);
	free(box);
	free(big);
	big = filled(MEMO_REPLY_MAX + 1, 'r');
	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, big, MEMO, 1, 1, key), -1);
	free(big);
}

/* Seal ${m} as a reply box of MEMO, kind 1, n 1, with a random nonce. */
static size_t
raw_reply_box(uint8_t *box, const uint8_t *m, size_t mlen,
    const uint8_t key[MEMO_KEY_BYTES])
{
	uint8_t ad[128];
	size_t adlen;

	adlen = reply_ad(ad, sizeof(ad), MEMO, MEMO_REPLY_KIND_REPLY, 1);
	assert_int_equal(aead_seal(box, m, mlen, ad, adlen, key), 0);
	return (mlen + MEMO_BOX_OVERHEAD);
}

static void
test_memo_reply_open_refuses_malformed_plaintext(void **state)
{
	static const struct {
		const char *m;
		size_t len;
	} bad[] = {
	    {"\0\0\0\x05hello!", 10},  /* a byte left over */
	    {"\0\0\0\x06hello", 9},    /* length beyond the text */
	    {"\0\0\0\0", 4},           /* empty text */
	    {"\0\0\0\x03h\0i", 7},     /* NUL inside */
	    {"\0\0\0\x02\xc3\x28", 6}, /* invalid UTF-8 */
	    {"\0\0\0\x02h\x07", 6},    /* control character */
	    {"hi", 2},                 /* no length prefix */
	};
	uint8_t key[MEMO_KEY_BYTES], box[128];
	size_t i, boxlen;
	char *out;

	(void)state;
	randombytes_buf(key, sizeof(key));
	boxlen = raw_reply_box(box, (const uint8_t *)"\0\0\0\x02hi", 6, key);
	assert_int_equal(
	    memo_reply_open(&out, box, boxlen, MEMO, 1, 1, key), 0);
	assert_string_equal(out, "hi");
	free(out);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		boxlen = raw_reply_box(
		    box, (const uint8_t *)bad[i].m, bad[i].len, key);
		assert_int_equal(
		    memo_reply_open(&out, box, boxlen, MEMO, 1, 1, key), -1);
		assert_null(out);
	}
}

static void
test_memo_box_hash_is_documented_dhash(void **state)
{
	uint8_t box[100], h[MEMO_HASH_BYTES], want[MEMO_HASH_BYTES];

	(void)state;
	randombytes_buf(box, sizeof(box));
	memo_box_hash(h, box, sizeof(box));
	assert_int_equal(
	    dhash(want, "dissent/memo-box/v1", box, sizeof(box)), 0);
	assert_memory_equal(h, want, sizeof(h));
	box[99] ^= 1;
	memo_box_hash(want, box, sizeof(box));
	assert_memory_not_equal(h, want, sizeof(h));
}

static void
test_memo_signature_verifies(void **state)
{
	struct memo_signature s;
	struct keys_secret ks;

	(void)state;
	signed_sample(&s, &ks);
	assert_int_equal(memo_signature_verify(&s, ks.pub.sign_pk), 0);
	keys_wipe(&ks);
}

static void
test_memo_signature_signs_documented_transcript(void **state)
{
	struct memo_signature s;
	struct keys_secret ks;
	uint8_t t[256];
	struct binenc e;
	size_t len;

	(void)state;
	signed_sample(&s, &ks);
	binenc_init(&e, t, sizeof(t));
	binenc_str(&e, MEMO);
	binenc_fixed(&e, s.version_hash, MEMO_HASH_BYTES);
	binenc_str(&e, SIGNER);
	binenc_u64(&e, s.time);
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(keys_verify(s.sig, ks.pub.sign_pk,
			     "dissent/named-signature/v1", t, len),
	    0);
	keys_wipe(&ks);
}

static void
test_memo_signature_fails_over_other_memo_hash_signer_or_time(void **state)
{
	struct memo_signature s, o;
	struct keys_secret ks, other;

	(void)state;
	signed_sample(&s, &ks);
	o = s;
	memcpy(o.memo_id, MEMO2, sizeof(MEMO2));
	assert_int_equal(memo_signature_verify(&o, ks.pub.sign_pk), -1);
	o = s;
	o.version_hash[31] ^= 1;
	assert_int_equal(memo_signature_verify(&o, ks.pub.sign_pk), -1);
	o = s;
	memcpy(o.signer_id, SIGNER2, sizeof(SIGNER2));
	assert_int_equal(memo_signature_verify(&o, ks.pub.sign_pk), -1);
	o = s;
	o.time++;
	assert_int_equal(memo_signature_verify(&o, ks.pub.sign_pk), -1);
	o = s;
	o.sig[0] ^= 1;
	assert_int_equal(memo_signature_verify(&o, ks.pub.sign_pk), -1);
	derive(&other, 8);
	assert_int_equal(memo_signature_verify(&s, other.pub.sign_pk), -1);
	keys_wipe(&ks);
	keys_wipe(&other);
}

static void
test_memo_signature_refuses_malformed_fields(void **state)
{
	struct memo_signature s, o;
	struct keys_secret ks;

	(void)state;
	signed_sample(&s, &ks);
	o = s;
	memcpy(o.memo_id, "d_short", 8);
	assert_int_equal(memo_signature_sign(&o, &ks), -1);
	assert_int_equal(memo_signature_verify(&o, ks.pub.sign_pk), -1);
	o = s;
	memcpy(o.signer_id, "alice", 6);
	assert_int_equal(memo_signature_sign(&o, &ks), -1);
	o = s;
	memset(o.signer_id, 'm', sizeof(o.signer_id));
	assert_int_equal(memo_signature_sign(&o, &ks), -1);
	o = s;
	o.version = 0;
	assert_int_equal(memo_signature_sign(&o, &ks), -1);
	assert_int_equal(memo_signature_verify(&o, ks.pub.sign_pk), -1);
	keys_wipe(&ks);
}

static void
test_memo_record_round_trips(void **state)
{
	uint8_t pk[32], sk[32], sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s, back;
	struct keys_secret ks;

	(void)state;
	signed_sample(&s, &ks);
	roster(pk, sk);
	assert_int_equal(memo_record_seal(sealed, &s, pk), 0);
	assert_int_equal(memo_record_open(&back, sealed, pk, sk), 0);
	assert_memory_equal(&back, &s, sizeof(s));
	assert_int_equal(memo_signature_verify(&back, ks.pub.sign_pk), 0);
	keys_wipe(&ks);
}

static void
test_memo_record_has_documented_padded_layout(void **state)
{
	uint8_t pk[32], sk[32], sealed[MEMO_RECORD_SEALED_BYTES];
	uint8_t m[MEMO_RECORD_PLAIN_BYTES], want[MEMO_RECORD_PLAIN_BYTES];
	struct memo_signature s;
	struct keys_secret ks;

	(void)state;
	signed_sample(&s, &ks);
	roster(pk, sk);
	assert_int_equal(memo_record_seal(sealed, &s, pk), 0);
	assert_int_equal(
	    crypto_box_seal_open(m, sealed, sizeof(sealed), pk, sk), 0);
	record_plain(want, &s, "dissent/signer-record/v1", 0);
	assert_memory_equal(m, want, sizeof(m));
	keys_wipe(&ks);
}

static void
test_memo_record_open_refuses_wrong_roster_key(void **state)
{
	uint8_t pk[32], sk[32], pk2[32], sk2[32];
	uint8_t sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s, back, zero;
	struct keys_secret ks;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	signed_sample(&s, &ks);
	roster(pk, sk);
	roster(pk2, sk2);
	assert_int_equal(memo_record_seal(sealed, &s, pk), 0);
	memset(&back, 0xaa, sizeof(back));
	assert_int_equal(memo_record_open(&back, sealed, pk2, sk2), -1);
	assert_memory_equal(&back, &zero, sizeof(back));
	keys_wipe(&ks);
}

static void
test_memo_record_open_refuses_any_altered_byte(void **state)
{
	uint8_t pk[32], sk[32], sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s, back;
	struct keys_secret ks;
	size_t i;

	(void)state;
	signed_sample(&s, &ks);
	roster(pk, sk);
	assert_int_equal(memo_record_seal(sealed, &s, pk), 0);
	for (i = 0; i < sizeof(sealed); i++) {
		sealed[i] ^= 0x80;
		assert_int_equal(memo_record_open(&back, sealed, pk, sk), -1);
		sealed[i] ^= 0x80;
	}
	keys_wipe(&ks);
}

/* Seal a hand-made record plaintext and try to open it. */
static int
open_raw(const uint8_t m[MEMO_RECORD_PLAIN_BYTES])
{
	uint8_t pk[32], sk[32], sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature back;

	roster(pk, sk);
	assert_int_equal(
	    crypto_box_seal(sealed, m, MEMO_RECORD_PLAIN_BYTES, pk), 0);
	return (memo_record_open(&back, sealed, pk, sk));
}

static void
test_memo_record_open_refuses_nonzero_padding(void **state)
{
	uint8_t m[MEMO_RECORD_PLAIN_BYTES];
	struct memo_signature s;
	struct keys_secret ks;

	(void)state;
	signed_sample(&s, &ks);
	record_plain(m, &s, "dissent/signer-record/v1", 0);
	assert_int_equal(open_raw(m), 0);
	m[MEMO_RECORD_PLAIN_BYTES - 1] = 1;
	assert_int_equal(open_raw(m), -1);
	record_plain(m, &s, "dissent/signer-record/v1", 0xff);
	assert_int_equal(open_raw(m), -1);
	keys_wipe(&ks);
}

static void
test_memo_record_open_refuses_malformed_fields(void **state)
{
	uint8_t m[MEMO_RECORD_PLAIN_BYTES];
	struct memo_signature s, o;
	struct keys_secret ks;

	(void)state;
	signed_sample(&s, &ks);
	record_plain(m, &s, "dissent/signer-record/v2", 0);
	assert_int_equal(open_raw(m), -1);
	record_plain(m, &s, "dissent/named-signature/v1", 0);
	assert_int_equal(open_raw(m), -1);
	o = s;
	o.version = 0;
	record_plain(m, &o, "dissent/signer-record/v1", 0);
	assert_int_equal(open_raw(m), -1);
	o = s;
	o.key_epoch = 0;
	record_plain(m, &o, "dissent/signer-record/v1", 0);
	assert_int_equal(open_raw(m), -1);
	o = s;
	memcpy(o.memo_id, "d_0123456789ABCDEF01234567", MEMO_ID_LEN + 1);
	record_plain(m, &o, "dissent/signer-record/v1", 0);
	assert_int_equal(open_raw(m), -1);
	o = s;
	memcpy(o.signer_id, "alice", 6);
	record_plain(m, &o, "dissent/signer-record/v1", 0);
	assert_int_equal(open_raw(m), -1);
	/* A NUL inside the signer id. */
	record_plain(m, &s, "dissent/signer-record/v1", 0);
	m[4 + 24 + 4 + 26 + 4 + 32 + 4 + 3] = 0;
	assert_int_equal(open_raw(m), -1);
	/* A memo id length beyond the limit. */
	record_plain(m, &s, "dissent/signer-record/v1", 0);
	m[4 + 24 + 3] = MEMO_ID_LEN + 1;
	assert_int_equal(open_raw(m), -1);
	keys_wipe(&ks);
}

static void
test_memo_record_seal_refuses_bad_fields_or_key(void **state)
{
	uint8_t pk[32], sk[32], small[32] = {0};
	uint8_t sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s, o;
	struct keys_secret ks;

	(void)state;
	signed_sample(&s, &ks);
	roster(pk, sk);
	assert_int_equal(memo_record_seal(sealed, &s, small), -1);
	o = s;
	o.key_epoch = 0;
	assert_int_equal(memo_record_seal(sealed, &o, pk), -1);
	o = s;
	memcpy(o.memo_id, "x", 2);
	assert_int_equal(memo_record_seal(sealed, &o, pk), -1);
	o = s;
	o.version = 0;
	assert_int_equal(memo_record_seal(sealed, &o, pk), -1);
	keys_wipe(&ks);
}

static void
test_memo_roster_keypair_is_x25519_and_fresh(void **state)
{
	uint8_t pk[32], sk[32], pk2[32], sk2[32], derived[32];
	uint8_t key[GRANT_KEY_BYTES], out[GRANT_KEY_BYTES];
	uint8_t sealed[GRANT_SEALED_MAX];
	size_t len;

	(void)state;
	roster(pk, sk);
	roster(pk2, sk2);
	assert_memory_not_equal(sk, sk2, 32);
	assert_int_equal(crypto_scalarmult_base(derived, sk), 0);
	assert_memory_equal(derived, pk, 32);
	assert_int_equal(keys_box_pk_check(pk), 0);
	/* Grants to the roster key open with grant_open_box(). */
	randombytes_buf(key, sizeof(key));
	assert_int_equal(
	    grant_seal(sealed, &len, key, MEMO_GRANT_ROSTER, MEMO, pk), 0);
	assert_int_equal(
	    grant_open_box(out, sealed, len, MEMO_GRANT_ROSTER, MEMO, pk, sk),
	    0);
	assert_memory_equal(out, key, sizeof(key));
}

static void
test_memo_signer_tag_has_documented_layout(void **state)
{
	uint8_t key[32], tag[32], want[32], m[128];
	struct binenc e;
	size_t len;

	(void)state;
	randombytes_buf(key, sizeof(key));
	memo_signer_tag(tag, key, MEMO, SIGNER);
	binenc_init(&e, m, sizeof(m));
	binenc_str(&e, "dissent/signer-tag/v1");
	binenc_str(&e, MEMO);
	binenc_str(&e, SIGNER);
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(
	    crypto_generichash(want, 32, m, len, key, sizeof(key)), 0);
	assert_memory_equal(tag, want, 32);
	memo_signer_tag(want, key, MEMO, SIGNER);
	assert_memory_equal(tag, want, 32);
}

static void
test_memo_signer_tag_differs_per_memo_signer_and_key(void **state)
{
	uint8_t key[32], key2[32], t[4][32];
	size_t i, j;

	(void)state;
	randombytes_buf(key, sizeof(key));
	memcpy(key2, key, sizeof(key));
	key2[0] ^= 1;
	memo_signer_tag(t[0], key, MEMO, SIGNER);
	memo_signer_tag(t[1], key, MEMO2, SIGNER);
	memo_signer_tag(t[2], key, MEMO, SIGNER2);
	memo_signer_tag(t[3], key2, MEMO, SIGNER);
	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++)
			assert_memory_not_equal(t[i], t[j], 32);
}

static void
test_memo_package_hash_has_documented_layout(void **state)
{
	static uint8_t rec[3][MEMO_RECORD_SEALED_BYTES];
	static uint8_t sig0[128], sig1[160];
	static uint8_t m[4 + MEMO_ID_LEN + 32 + 4 + sizeof(rec) + 4 + 4 +
			 sizeof(sig0) + 4 + sizeof(sig1)];
	struct memo_anon_ref anon[2] = {
	    {sig0, sizeof(sig0)}, {sig1, sizeof(sig1)}};
	uint8_t vh[32], h[32], want[32];
	struct binenc e;
	size_t len, i;

	(void)state;
	randombytes_buf(rec, sizeof(rec));
	randombytes_buf(sig0, sizeof(sig0));
	randombytes_buf(sig1, sizeof(sig1));
	memset(vh, 0x33, sizeof(vh));
	binenc_init(&e, m, sizeof(m));
	binenc_str(&e, MEMO);
	binenc_fixed(&e, vh, sizeof(vh));
	binenc_u32(&e, 3);
	for (i = 0; i < 3; i++)
		binenc_fixed(&e, rec[i], sizeof(rec[i]));
	binenc_u32(&e, 2);
	binenc_var(&e, sig0, sizeof(sig0));
	binenc_var(&e, sig1, sizeof(sig1));
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(len, sizeof(m));
	assert_int_equal(dhash(want, "dissent/memo-package/v2", m, len), 0);
	memo_package_hash(h, MEMO, vh, (record *)rec, 3, anon, 2);
	assert_memory_equal(h, want, 32);
}

static void
test_memo_package_hash_without_anonymous_signatures_counts_zero(void **state)
{
	static uint8_t rec[1][MEMO_RECORD_SEALED_BYTES];
	static uint8_t m[4 + MEMO_ID_LEN + 32 + 4 + sizeof(rec) + 4];
	uint8_t vh[32], h[32], want[32];
	struct binenc e;
	size_t len;

	(void)state;
	randombytes_buf(rec, sizeof(rec));
	memset(vh, 0x44, sizeof(vh));
	binenc_init(&e, m, sizeof(m));
	binenc_str(&e, MEMO);
	binenc_fixed(&e, vh, sizeof(vh));
	binenc_u32(&e, 1);
	binenc_fixed(&e, rec[0], sizeof(rec[0]));
	binenc_u32(&e, 0);
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(dhash(want, "dissent/memo-package/v2", m, len), 0);
	memo_package_hash(h, MEMO, vh, (record *)rec, 1, NULL, 0);
	assert_memory_equal(h, want, 32);
}

static void
test_memo_package_hash_depends_on_order_and_every_input(void **state)
{
	static uint8_t rec[2][MEMO_RECORD_SEALED_BYTES];
	static uint8_t swapped[2][MEMO_RECORD_SEALED_BYTES];
	static uint8_t sig0[128], sig1[128], sig2[160];
	struct memo_anon_ref anon[2] = {
	    {sig0, sizeof(sig0)}, {sig1, sizeof(sig1)}};
	struct memo_anon_ref anon_swapped[2] = {
	    {sig1, sizeof(sig1)}, {sig0, sizeof(sig0)}};
	struct memo_anon_ref anon_other[2] = {
	    {sig0, sizeof(sig0)}, {sig2, sizeof(sig2)}};
	uint8_t vh[32], vh2[32], h[10][32];
	size_t i, j;

	(void)state;
	randombytes_buf(rec, sizeof(rec));
	randombytes_buf(sig0, sizeof(sig0));
	randombytes_buf(sig1, sizeof(sig1));
	randombytes_buf(sig2, sizeof(sig2));
	memcpy(swapped[0], rec[1], sizeof(rec[1]));
	memcpy(swapped[1], rec[0], sizeof(rec[0]));
	memset(vh, 0x33, sizeof(vh));
	memcpy(vh2, vh, sizeof(vh));
	vh2[0] ^= 1;
	memo_package_hash(h[0], MEMO, vh, (record *)rec, 2, NULL, 0);
	memo_package_hash(h[1], MEMO, vh, (record *)swapped, 2, NULL, 0);
	memo_package_hash(h[2], MEMO2, vh, (record *)rec, 2, NULL, 0);
	memo_package_hash(h[3], MEMO, vh2, (record *)rec, 2, NULL, 0);
	memo_package_hash(h[4], MEMO, vh, (record *)rec, 1, NULL, 0);
	memo_package_hash(h[5], MEMO, vh, NULL, 0, NULL, 0);
	memo_package_hash(h[6], MEMO, vh, (record *)rec, 2, anon, 2);
	memo_package_hash(h[7], MEMO, vh, (record *)rec, 2, anon_swapped, 2);
	memo_package_hash(h[8], MEMO, vh, (record *)rec, 2, anon, 1);
	memo_package_hash(h[9], MEMO, vh, (record *)rec, 2, anon_other, 2);
	for (i = 0; i < 10; i++)
		for (j = i + 1; j < 10; j++)
			assert_memory_not_equal(h[i], h[j], 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memo_id_new_is_valid_and_random),
	    cmocka_unit_test(test_memo_id_valid_refuses_malformed),
	    cmocka_unit_test(test_memo_marking_names_and_levels_agree),
	    cmocka_unit_test(test_memo_marking_level_refuses_unknown_names),
	    cmocka_unit_test(test_memo_topic_valid_follows_rules),
	    cmocka_unit_test(test_memo_content_round_trips),
	    cmocka_unit_test(test_memo_content_encoding_has_documented_layout),
	    cmocka_unit_test(
		test_memo_content_null_optional_fields_encode_as_empty),
	    cmocka_unit_test(test_memo_content_refuses_missing_title_or_body),
	    cmocka_unit_test(test_memo_content_check_enforces_field_limits),
	    cmocka_unit_test(test_memo_content_decode_refuses_oversize_fields),
	    cmocka_unit_test(
		test_memo_content_decode_refuses_huge_length_prefix),
	    cmocka_unit_test(
		test_memo_content_refuses_control_characters_in_title),
	    cmocka_unit_test(
		test_memo_content_allows_only_tab_and_line_breaks_in_text),
	    cmocka_unit_test(test_memo_content_refuses_invalid_utf8),
	    cmocka_unit_test(test_memo_content_accepts_utf8_edges),
	    cmocka_unit_test(test_memo_content_refuses_unknown_marking),
	    cmocka_unit_test(test_memo_content_refuses_bad_topic),
	    cmocka_unit_test(test_memo_content_decode_refuses_trailing_bytes),
	    cmocka_unit_test(test_memo_content_decode_refuses_every_truncation),
	    cmocka_unit_test(test_memo_content_decode_refuses_unknown_format),
	    cmocka_unit_test(test_memo_content_decode_refuses_nul_in_any_field),
	    cmocka_unit_test(
		test_memo_content_decode_leaves_content_empty_on_failure),
	    cmocka_unit_test(test_memo_version_hash_has_documented_layout),
	    cmocka_unit_test(test_memo_version_hash_depends_on_every_input),
	    cmocka_unit_test(test_memo_version_hash_refuses_bad_id_or_version),
	    cmocka_unit_test(test_memo_content_box_round_trips),
	    cmocka_unit_test(test_memo_content_box_has_documented_ad),
	    cmocka_unit_test(
		test_memo_content_open_refuses_other_memo_version_or_key),
	    cmocka_unit_test(test_memo_content_open_refuses_any_altered_byte),
	    cmocka_unit_test(test_memo_content_seal_refuses_bad_input),
	    cmocka_unit_test(test_memo_content_seal_is_randomised),
	    cmocka_unit_test(test_memo_reply_round_trips_every_kind),
	    cmocka_unit_test(test_memo_reply_box_has_documented_layout),
	    cmocka_unit_test(
		test_memo_reply_open_refuses_other_memo_kind_n_or_key),
	    cmocka_unit_test(test_memo_reply_seal_refuses_bad_text_kind_or_n),
	    cmocka_unit_test(test_memo_reply_open_refuses_malformed_plaintext),
	    cmocka_unit_test(test_memo_box_hash_is_documented_dhash),
	    cmocka_unit_test(test_memo_signature_verifies),
	    cmocka_unit_test(test_memo_signature_signs_documented_transcript),
	    cmocka_unit_test(
		test_memo_signature_fails_over_other_memo_hash_signer_or_time),
	    cmocka_unit_test(test_memo_signature_refuses_malformed_fields),
	    cmocka_unit_test(test_memo_record_round_trips),
	    cmocka_unit_test(test_memo_record_has_documented_padded_layout),
	    cmocka_unit_test(test_memo_record_open_refuses_wrong_roster_key),
	    cmocka_unit_test(test_memo_record_open_refuses_any_altered_byte),
	    cmocka_unit_test(test_memo_record_open_refuses_nonzero_padding),
	    cmocka_unit_test(test_memo_record_open_refuses_malformed_fields),
	    cmocka_unit_test(test_memo_record_seal_refuses_bad_fields_or_key),
	    cmocka_unit_test(test_memo_roster_keypair_is_x25519_and_fresh),
	    cmocka_unit_test(test_memo_signer_tag_has_documented_layout),
	    cmocka_unit_test(
		test_memo_signer_tag_differs_per_memo_signer_and_key),
	    cmocka_unit_test(test_memo_package_hash_has_documented_layout),
	    cmocka_unit_test(
		test_memo_package_hash_without_anonymous_signatures_counts_zero),
	    cmocka_unit_test(
		test_memo_package_hash_depends_on_order_and_every_input),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "directory.h"

/* Random bytes behind a member id: 96 bits, 24 hex digits. */
#define MEMBER_ID_RAW_BYTES 12

static const struct {
	unsigned int bit;
	const char *name;
} role_names[] = {
    {ROLE_MEMBER, "member"},
    {ROLE_COORDINATOR, "coordinator"},
    {ROLE_DIRECTOR, "director"},
    {ROLE_PRINCIPAL, "principal"},
    {ROLE_AUDITOR, "auditor"},
    {ROLE_ADMIN, "admin"},
};
#define NROLES (sizeof(role_names) / sizeof(role_names[0]))

static int
is_lower_alnum(char c)
{

	return ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
}

/**
 * directory_org_id_valid(id):
 * Return 1 if ${id} is 1..DIRECTORY_ORG_ID_MAX of [a-z0-9-], starting with
 * a letter, else 0.
 */
int
directory_org_id_valid(const char *id)
{
	size_t len, i;

	if (id == NULL)
		return (0);
	len = strnlen(id, DIRECTORY_ORG_ID_MAX + 1);
	if (len == 0 || len > DIRECTORY_ORG_ID_MAX)
		return (0);
	if (!(id[0] >= 'a' && id[0] <= 'z'))
		return (0);
	for (i = 1; i < len; i++) {
		if (!is_lower_alnum(id[i]) && id[i] != '-')
			return (0);
	}
	return (1);
}

/**
 * directory_handle_valid(handle):
 * Return 1 if ${handle} is 1..DIRECTORY_HANDLE_MAX of [a-z0-9.@-] (never
 * "_", so a handle cannot look like a member id "m_..."),
 * starting with a letter or digit, else 0.
 */
int
directory_handle_valid(const char *handle)
{
	size_t len, i;

	if (handle == NULL)
		return (0);
	len = strnlen(handle, DIRECTORY_HANDLE_MAX + 1);
	if (len == 0 || len > DIRECTORY_HANDLE_MAX)
		return (0);
	if (!is_lower_alnum(handle[0]))
		return (0);
	/*
	 * No '_' although the bracket above lists it: docs/API.md promises
	 * that handles cannot contain '_', so that a path segment starting
	 * with "m_" is always a member id and never a handle.
	 */
	for (i = 1; i < len; i++) {
		if (!is_lower_alnum(handle[i]) && handle[i] != '.' &&
		    handle[i] != '@' && handle[i] != '-')
			return (0);
	}
	return (1);
}

/*
 * Decode the UTF-8 sequence at ${p} (${left} bytes remain) into ${cp}.
 * Return its length, or 0 if it is not well-formed UTF-8 as RFC 3629 §4
 * defines it: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
 * above U+10FFFF, no stray or missing continuation bytes.
 */
static size_t
utf8_decode(const unsigned char *p, size_t left, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return (1);
	} else if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else {
		/* A continuation byte, or 0xf8..0xff. */
		return (0);
	}
	if (left < len)
		return (0);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (len);
}

/* C0 controls, DEL and C1 controls (Unicode general category Cc). */
static int
is_control(uint32_t c)
{

	return (c < 0x20 || (c >= 0x7f && c <= 0x9f));
}

/*
 * Bidirectional formatting characters (Unicode Bidi_Control: U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069).  They can make one name display
 * as another in a signer list, so names may not contain them.
 */
static int
is_bidi_control(uint32_t c)
{

	return (c == 0x061c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
}

/*
 * Invisible format characters (a subset of Unicode Default_Ignorable_Code_Point
 * and category Cf that renders as nothing): soft hyphen, zero-width space,
 * joiners, word joiner and invisible operators, the byte order mark, and
 * the variation/tag ranges.  "Alice" and "Al\u200bice" must not both exist.
 */
static int
is_invisible(uint32_t c)
{

	return (c == 0x00ad || c == 0x034f || c == 0x115f || c == 0x1160 ||
	    c == 0x17b4 || c == 0x17b5 || c == 0x180e ||
	    (c >= 0x200b && c <= 0x200d) || (c >= 0x2060 && c <= 0x2064) ||
	    c == 0x3164 || c == 0xfeff || c == 0xffa0 ||
	    (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xfff0 && c <= 0xfff8) ||
	    (c >= 0x1bca0 && c <= 0x1bca3) || (c >= 0x1d173 && c <= 0x1d17a) ||
	    (c >= 0xe0000 && c <= 0xe0fff));
}

/*
 * Unicode White_Space characters that are not controls (PropList.txt): a
 * name must not begin or end with any of them, since "Alice" and
 * "Alice\u00a0" would look alike in every list.
 */
static int
is_space(uint32_t c)
{

	return (c == 0x20 || c == 0xa0 || c == 0x1680 ||
		(c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
		c == 0x202f || c == 0x205f || c == 0x3000);
}

/**
 * directory_name_valid(name, max):
 * Return 1 if ${name} is valid UTF-8 of 1..${max} bytes with no control
 * characters, bidirectional formatting characters or invisible characters
 * (zero-width, soft hyphen, byte order mark, ...), and no leading or trailing
 * space, else 0.  Used for display
 * names and organisation names.
 */
int
directory_name_valid(const char *name, size_t max)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len, i, n;
	uint32_t c = 0;

	if (name == NULL || max == 0 || max == SIZE_MAX)
		return (0);
	len = strnlen(name, max + 1);
	if (len == 0 || len > max)
		return (0);
	for (i = 0; i < len; i += n) {
		if ((n = utf8_decode(p + i, len - i, &c)) == 0)
			return (0);
		if (is_control(c) || is_bidi_control(c) || is_invisible(c))
			return (0);
		if (i == 0 && is_space(c))
			return (0);
	}
	/* ${c} is now the last character. */
	if (is_space(c))
		return (0);
	return (1);
}

/**
 * directory_member_id_new(out):
 * Write a new random member id into ${out}.
 */
void
directory_member_id_new(char out[DIRECTORY_MEMBER_ID_LEN + 1])
{
	uint8_t raw[MEMBER_ID_RAW_BYTES];

	randombytes_buf(raw, sizeof(raw));
	out[0] = 'm';
	out[1] = '_';
	/* sodium_bin2hex() writes lowercase digits and the NUL. */
	(void)sodium_bin2hex(
	    out + 2, DIRECTORY_MEMBER_ID_LEN - 1, raw, sizeof(raw));
}

/**
 * directory_member_id_valid(id):
 * Return 1 if ${id} has the member id syntax, else 0.
 */
int
directory_member_id_valid(const char *id)
{
	size_t i;

	if (id == NULL)
		return (0);
	if (strnlen(id, DIRECTORY_MEMBER_ID_LEN + 1) != DIRECTORY_MEMBER_ID_LEN)
		return (0);
	if (id[0] != 'm' || id[1] != '_')
		return (0);
	for (i = 2; i < DIRECTORY_MEMBER_ID_LEN; i++) {
		if (!((id[i] >= '0' && id[i] <= '9') ||
			(id[i] >= 'a' && id[i] <= 'f')))
			return (0);
	}
	return (1);
}

/**
 * directory_role_parse(name):
 * Return the ROLE_* bit named ${name} ("member", "coordinator", "director",
 * "principal", "auditor", "admin"), or 0 if unknown.
 */
unsigned int
directory_role_parse(const char *name)
{
	size_t i;

	if (name == NULL)
		return (0);
	for (i = 0; i < NROLES; i++) {
		if (strcmp(name, role_names[i].name) == 0)
			return (role_names[i].bit);
	}
	return (0);
}

/**
 * directory_role_name(role):
 * Return the name of the single ROLE_* bit ${role}, or NULL.
 */
const char *
directory_role_name(unsigned int role)
{
	size_t i;

	for (i = 0; i < NROLES; i++) {
		if (role == role_names[i].bit)
			return (role_names[i].name);
	}
	return (NULL);
}

/**
 * directory_roles_format(out, cap, roles):
 * Write the comma-separated names of ${roles} into ${out}.  Return 0 or -1
 * if it does not fit.
 */
int
directory_roles_format(char *out, size_t cap, unsigned int roles)
{
	size_t i, pos = 0, len;

	if (out == NULL || cap == 0)
		return (-1);
	out[0] = '\0';
	/* A bit without a name cannot be written: fail rather than drop it. */
	if ((roles & ~ROLE_ALL) != 0)
		return (-1);
	for (i = 0; i < NROLES; i++) {
		if ((roles & role_names[i].bit) == 0)
			continue;
		len = strlen(role_names[i].name);
		/* Separator, name and the NUL must all fit. */
		if ((pos > 0 ? 1 : 0) + len >= cap - pos)
			goto err0;
		if (pos > 0)
			out[pos++] = ',';
		memcpy(out + pos, role_names[i].name, len);
		pos += len;
		out[pos] = '\0';
	}
	return (0);

err0:
	out[0] = '\0';
	return (-1);
}

/**
 * directory_roles_valid(roles):
 * Return 1 if ${roles} is an allowed combination, else 0: non-empty, only
 * known bits, and admin never combined with any other role (an admin runs
 * the directory and can hold no role that reaches memo content), and every
 * non-admin role set includes member.
 */
int
directory_roles_valid(unsigned int roles)
{

	if (roles == 0 || (roles & ~ROLE_ALL) != 0)
		return (0);
	if ((roles & ROLE_ADMIN) != 0)
		return (roles == ROLE_ADMIN);
	return ((roles & ROLE_MEMBER) != 0);
}

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "b64.h"
#include "jsonin.h"

/* Longest dotted field path named in messages ("custody.salt"). */
#define PATH_MAX_LEN 96

/* Size header in front of each block from wipe_malloc(). */
#define WIPE_HEADER 16

/* malloc() keeping the size so wipe_free() can wipe the whole block. */
static void *
wipe_malloc(size_t n)
{
	unsigned char *p;

	if (n > SIZE_MAX - WIPE_HEADER)
		return (NULL);
	if ((p = malloc(n + WIPE_HEADER)) == NULL)
		return (NULL);
	memcpy(p, &n, sizeof(n));
	return (p + WIPE_HEADER);
}

/* Wipe and free a block from wipe_malloc(). */
static void
wipe_free(void *ptr)
{
	unsigned char *p;
	size_t n;

	if (ptr == NULL)
		return;
	p = (unsigned char *)ptr - WIPE_HEADER;
	memcpy(&n, p, sizeof(n));
	sodium_memzero(p, n + WIPE_HEADER);
	free(p);
}

/**
 * jsonin_init():
 * Make jansson wipe every block it frees (bodies carry keys and wrapped
 * seeds).  Call once, before any other use of jansson in the process.
 */
void
jsonin_init(void)
{

	json_set_alloc_funcs(wipe_malloc, wipe_free);
}

static void fail(struct jsonin_error *e, enum jsonin_status st, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* Record the failure ${st} with a message. */
static void
fail(struct jsonin_error *e, enum jsonin_status st, const char *fmt, ...)
{
	va_list ap;

	e->status = st;
	va_start(ap, fmt);
	(void)vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

/**
 * jsonin_status_code(status):
 * Return the API error code of ${status} ("invalid_json" (also for a body
 * that is not an object), "unknown_field", "invalid_field",
 * "missing_field"), or NULL for JSONIN_OK.
 */
const char *
jsonin_status_code(enum jsonin_status status)
{

	switch (status) {
	case JSONIN_OK:
		return (NULL);
	case JSONIN_INVALID_JSON:
	case JSONIN_NOT_OBJECT:
		return ("invalid_json");
	case JSONIN_UNKNOWN_FIELD:
		return ("unknown_field");
	case JSONIN_INVALID_FIELD:
		return ("invalid_field");
	case JSONIN_MISSING_FIELD:
		return ("missing_field");
	}
	return ("bad_request");
}

/**
 * jsonin_depth_ok(buf, len, max):
 * Return 1 if the JSON text at ${buf} nests objects and arrays at most
 * ${max} deep (strings are skipped; the text need not be valid), else 0.
 */
int
jsonin_depth_ok(const char *buf, size_t len, unsigned int max)
{
	unsigned int depth = 0;
	int in_string = 0, escaped = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (in_string) {
			if (escaped)
				escaped = 0;
			else if (c == '\\')
				escaped = 1;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"')
			in_string = 1;
		else if (c == '{' || c == '[') {
			if (++depth > max)
				return (0);
		} else if ((c == '}' || c == ']') && depth > 0)
			depth--;
	}
	return (1);
}

/*
 * Write "prefix.name" into ${out}, with a key from the body shown only if
 * it is short and plain ASCII (it is still a client's text, but a key
 * name, not a value).
 */
static void
field_path(char out[PATH_MAX_LEN], const char *prefix, const char *name,
    int from_client)
{
	const char *p;
	int plain = 1;

	if (from_client) {
		if (strlen(name) > 48)
			plain = 0;
		for (p = name; *p != '\0' && plain; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
				(*p >= 'A' && *p <= 'Z') ||
				(*p >= '0' && *p <= '9') || *p == '_' ||
				*p == '-' || *p == '.'))
				plain = 0;
		if (!plain)
			name = "(unprintable)";
	}
	if (prefix[0] == '\0')
		(void)snprintf(out, PATH_MAX_LEN, "%s", name);
	else
		(void)snprintf(out, PATH_MAX_LEN, "%s.%s", prefix, name);
}

static int walk(const struct jsonin_spec *spec, json_t *obj, unsigned char *out,
    const char *prefix, struct jsonin_error *e);

/* Convert the value ${v} of field ${f} into ${out}; 0 or -1. */
static int
convert(const struct jsonin_field *f, json_t *v, unsigned char *out,
    const char *path, struct jsonin_error *e)
{
	unsigned char *dst = out + f->offset;
	struct jsonin_strings *ss;
	const char *s;
	size_t len, i;
	json_int_t iv;
	int64_t i64;
	int b;

	switch (f->type) {
	case JSONIN_STRING:
		if (!json_is_string(v))
			goto type;
		s = json_string_value(v);
		len = json_string_length(v);
		if (memchr(s, '\0', len) != NULL) {
			fail(e, JSONIN_INVALID_FIELD,
			    "field \"%s\" contains a NUL character", path);
			return (-1);
		}
		if (len < f->min || len > f->max) {
			fail(e, JSONIN_INVALID_FIELD,
			    "field \"%s\" must be %zu to %zu bytes long", path,
			    f->min, f->max);
			return (-1);
		}
		memcpy(dst, s, len);
		dst[len] = '\0';
		break;
	case JSONIN_BOOL:
		if (!json_is_boolean(v))
			goto type;
		b = json_is_true(v) ? 1 : 0;
		memcpy(dst, &b, sizeof(b));
		break;
	case JSONIN_INT:
		/* A real (1.0, 1e3, or an integer jansson could not hold). */
		if (!json_is_integer(v))
			goto type;
		iv = json_integer_value(v);
		if (iv < f->imin || iv > f->imax) {
			fail(e, JSONIN_INVALID_FIELD,
			    "field \"%s\" must be from %lld to %lld", path,
			    (long long)f->imin, (long long)f->imax);
			return (-1);
		}
		i64 = (int64_t)iv;
		memcpy(dst, &i64, sizeof(i64));
		break;
	case JSONIN_B64:
		if (!json_is_string(v))
			goto type;
		s = json_string_value(v);
		len = json_string_length(v);
		if (len >= B64_ENCODED_LEN(f->min) || memchr(s, '\0', len) ||
		    b64_decode_exact(dst, f->min, s) != 0) {
			fail(e, JSONIN_INVALID_FIELD,
			    "field \"%s\" must be base64url (no padding) of "
			    "exactly %zu bytes",
			    path, f->min);
			return (-1);
		}
		break;
	case JSONIN_STRINGS:
		if (!json_is_array(v))
			goto type;
		if (json_array_size(v) < f->min ||
		    json_array_size(v) > f->max) {
			fail(e, JSONIN_INVALID_FIELD,
			    "field \"%s\" must have %zu to %zu items", path,
			    f->min, f->max);
			return (-1);
		}
		ss = (struct jsonin_strings *)(void *)dst;
		ss->n = 0;
		for (i = 0; i < json_array_size(v); i++) {
			json_t *item = json_array_get(v, i);

			if (!json_is_string(item) ||
			    (len = json_string_length(item)) == 0 ||
			    len > JSONIN_STRINGS_ITEM_MAX ||
			    memchr(json_string_value(item), '\0', len)) {
				fail(e, JSONIN_INVALID_FIELD,
				    "field \"%s\" must hold strings of 1 to %d "
				    "bytes",
				    path, JSONIN_STRINGS_ITEM_MAX);
				return (-1);
			}
			memcpy(ss->v[i], json_string_value(item), len);
			ss->v[i][len] = '\0';
			ss->n++;
		}
		break;
	case JSONIN_OBJECT:
		if (!json_is_object(v))
			goto type;
		return (walk(f->sub, v, dst, path, e));
	case JSONIN_OBJECTS:
		if (!json_is_array(v))
			goto type;
		if (json_array_size(v) < f->min ||
		    json_array_size(v) > f->max) {
			fail(e, JSONIN_INVALID_FIELD,
			    "field \"%s\" must have %zu to %zu items", path,
			    f->min, f->max);
			return (-1);
		}
		for (i = 0; i < json_array_size(v); i++) {
			json_t *item = json_array_get(v, i);

			if (!json_is_object(item))
				goto type;
			if (walk(f->sub, item, dst + i * f->sub->size, path,
				e) != 0)
				return (-1);
		}
		memcpy(out + f->count - 1, &i, sizeof(i));
		break;
	case JSONIN_B64S:
		if (!json_is_array(v))
			goto type;
		if (json_array_size(v) < f->min ||
		    json_array_size(v) > f->max) {
			fail(e, JSONIN_INVALID_FIELD,
			    "field \"%s\" must have %zu to %zu items", path,
			    f->min, f->max);
			return (-1);
		}
		len = f->size / f->max;
		for (i = 0; i < json_array_size(v); i++) {
			json_t *item = json_array_get(v, i);

			if (!json_is_string(item) ||
			    json_string_length(item) >= B64_ENCODED_LEN(len) ||
			    memchr(json_string_value(item), '\0',
				json_string_length(item)) != NULL ||
			    b64_decode_exact(dst + i * len, len,
				json_string_value(item)) != 0) {
				fail(e, JSONIN_INVALID_FIELD,
				    "field \"%s\" must hold base64url strings "
				    "(no padding) of exactly %zu bytes",
				    path, len);
				return (-1);
			}
		}
		memcpy(out + f->count - 1, &i, sizeof(i));
		break;
	}
	return (0);

type:
	fail(e, JSONIN_INVALID_FIELD, "field \"%s\" has the wrong type", path);
	return (-1);
}

/* Check ${obj} against ${spec} and fill ${out}; 0 or -1. */
static int
walk(const struct jsonin_spec *spec, json_t *obj, unsigned char *out,
    const char *prefix, struct jsonin_error *e)
{
	char path[PATH_MAX_LEN];
	const char *key;
	json_t *v;
	size_t i;
	int one = 1;

	/* Every key of the body must be a field of the spec. */
	json_object_foreach(obj, key, v)
	{
		for (i = 0; i < spec->n; i++)
			if (strcmp(spec->fields[i].name, key) == 0)
				break;
		if (i == spec->n) {
			field_path(path, prefix, key, 1);
			fail(e, JSONIN_UNKNOWN_FIELD, "unknown field \"%s\"",
			    path);
			return (-1);
		}
	}
	for (i = 0; i < spec->n; i++) {
		const struct jsonin_field *f = &spec->fields[i];

		field_path(path, prefix, f->name, 0);
		if ((v = json_object_get(obj, f->name)) == NULL) {
			if (f->flags & JSONIN_REQUIRED) {
				fail(e, JSONIN_MISSING_FIELD,
				    "missing field \"%s\"", path);
				return (-1);
			}
			continue;
		}
		if (convert(f, v, out, path, e) != 0)
			return (-1);
		if (f->present != 0)
			memcpy(out + f->present - 1, &one, sizeof(one));
	}
	return (0);
}

/**
 * jsonin_parse(spec, buf, len, out, e):
 * Parse the ${len} bytes at ${buf} against ${spec} into ${out} (a struct of
 * ${spec}->size bytes, zeroed first).  Return 0, or -1 with the reason in
 * ${e} and ${out} wiped.
 */
int
jsonin_parse(const struct jsonin_spec *spec, const char *buf, size_t len,
    void *out, struct jsonin_error *e)
{
	json_error_t jerr;
	json_t *root;

	memset(out, 0, spec->size);
	e->status = JSONIN_OK;
	e->message[0] = '\0';

	/* jansson recurses per level; refuse deep nesting before it does. */
	if (!jsonin_depth_ok(buf, len, JSONIN_DEPTH_MAX)) {
		fail(e, JSONIN_INVALID_JSON, "JSON nested too deeply");
		goto err0;
	}
	/*
	 * Not JSON_DECODE_ANY, and the EOF check on.  JSON_ALLOW_NUL lets a
	 * "\u0000" reach convert(), which refuses it as invalid_field naming
	 * the field (jansson still refuses NUL in keys).
	 */
	if ((root = json_loadb(buf, len,
		 JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr)) == NULL) {
		switch (json_error_code(&jerr)) {
		case json_error_duplicate_key:
			fail(e, JSONIN_INVALID_JSON,
			    "duplicate key at line %d, column %d", jerr.line,
			    jerr.column);
			break;
		case json_error_numeric_overflow:
			/* An integer beyond 64 bits or a real beyond double. */
			fail(e, JSONIN_INVALID_FIELD,
			    "number out of range at line %d, column %d",
			    jerr.line, jerr.column);
			break;
		default:
			fail(e, JSONIN_INVALID_JSON,
			    "invalid JSON at line %d, column %d", jerr.line,
			    jerr.column);
			break;
		}
		goto err0;
	}
	if (!json_is_object(root)) {
		fail(e, JSONIN_NOT_OBJECT, "the body must be a JSON object");
		goto err1;
	}
	if (walk(spec, root, out, "", e) != 0)
		goto err1;
	json_decref(root);
	return (0);

err1:
	json_decref(root);
err0:
	sodium_memzero(out, spec->size);
	return (-1);
}

/**
 * jsonin_spec_valid(spec):
 * Return 1 if ${spec} is well formed (names unique, sizes matching types,
 * limits consistent, members inside the struct), else 0.
 */
int
jsonin_spec_valid(const struct jsonin_spec *spec)
{
	size_t i, j;

	if (spec == NULL || (spec->n > 0 && spec->fields == NULL))
		return (0);
	for (i = 0; i < spec->n; i++) {
		const struct jsonin_field *f = &spec->fields[i];

		if (f->name == NULL || f->name[0] == '\0')
			return (0);
		for (j = 0; j < i; j++)
			if (strcmp(spec->fields[j].name, f->name) == 0)
				return (0);
		if (f->offset > spec->size || f->size > spec->size - f->offset)
			return (0);
		if (f->present != 0 &&
		    (f->present - 1 > spec->size ||
			sizeof(int) > spec->size - (f->present - 1)))
			return (0);
		switch (f->type) {
		case JSONIN_STRING:
			if (f->min > f->max || f->size != f->max + 1)
				return (0);
			break;
		case JSONIN_BOOL:
			if (f->size != sizeof(int))
				return (0);
			break;
		case JSONIN_INT:
			if (f->size != sizeof(int64_t) || f->imin > f->imax)
				return (0);
			break;
		case JSONIN_B64:
			if (f->min == 0 || f->size != f->min)
				return (0);
			break;
		case JSONIN_STRINGS:
			if (f->size != sizeof(struct jsonin_strings) ||
			    f->min > f->max || f->max > JSONIN_STRINGS_MAX)
				return (0);
			break;
		case JSONIN_OBJECT:
			if (f->sub == NULL || f->size != f->sub->size ||
			    !jsonin_spec_valid(f->sub))
				return (0);
			break;
		case JSONIN_OBJECTS:
			if (f->sub == NULL || f->min > f->max || f->max == 0 ||
			    f->size / f->max != f->sub->size ||
			    f->size % f->max != 0 || f->count == 0 ||
			    f->count - 1 > spec->size ||
			    sizeof(size_t) > spec->size - (f->count - 1) ||
			    !jsonin_spec_valid(f->sub))
				return (0);
			break;
		case JSONIN_B64S:
			if (f->min > f->max || f->max == 0 ||
			    f->size / f->max == 0 || f->size % f->max != 0 ||
			    f->count == 0 || f->count - 1 > spec->size ||
			    sizeof(size_t) > spec->size - (f->count - 1))
				return (0);
			break;
		default:
			return (0);
		}
	}
	return (1);
}

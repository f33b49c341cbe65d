#ifndef JSONIN_H_
#define JSONIN_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Strict parsing of JSON request bodies against a declarative field spec.
 *
 * The body must be one JSON object (nothing after it), valid UTF-8, without
 * duplicate keys, nested at most JSONIN_DEPTH_MAX deep; every key must be a
 * field of the spec, every required field present and every value of the
 * field's type and within its limits.  Values are copied into a caller's
 * struct at the offsets the spec names, so handlers never touch JSON.
 * Error messages name the offending field but never quote its value.
 */

/* Deepest nesting of objects and arrays accepted in a body. */
#define JSONIN_DEPTH_MAX 16
/* Most items and bytes per item of a JSONIN_STRINGS field. */
#define JSONIN_STRINGS_MAX 16
#define JSONIN_STRINGS_ITEM_MAX 64
/* Length of an error message. */
#define JSONIN_MESSAGE_MAX 160

enum jsonin_type {
	JSONIN_STRING,  /* char[max + 1], NUL-terminated, min..max bytes */
	JSONIN_BOOL,    /* int, 0 or 1 */
	JSONIN_INT,     /* int64_t within imin..imax; reals are refused */
	JSONIN_B64,     /* uint8_t[min]: base64url of exactly min bytes */
	JSONIN_STRINGS, /* struct jsonin_strings: min..max non-empty strings */
	JSONIN_OBJECT,  /* a nested struct described by sub */
	JSONIN_OBJECTS, /* an array of min..max objects described by sub,
			   into an array of max structs; the number of
			   items goes to the size_t named by count */
	JSONIN_B64S     /* an array of min..max base64url strings (no
			   padding) of exactly size / max bytes each, into
			   an array of max such; the number of items goes
			   to the size_t named by count */
};

/* Field flags. */
#define JSONIN_REQUIRED 0x1u

struct jsonin_spec;

struct jsonin_field {
	const char *name;
	enum jsonin_type type;
	unsigned int flags;
	size_t min; /* see enum jsonin_type */
	size_t max;
	int64_t imin, imax;            /* JSONIN_INT range */
	const struct jsonin_spec *sub; /* JSONIN_OBJECT */
	size_t offset;  /* where the value goes in the output struct */
	size_t size;    /* the size of that member (checked) */
	size_t present; /* offset + 1 of an int set to 1 when the
			   field is present, or 0 for none */
	size_t count;   /* JSONIN_OBJECTS: offset + 1 of its size_t */
};

struct jsonin_spec {
	const struct jsonin_field *fields;
	size_t n;
	size_t size; /* size of the output struct */
};

struct jsonin_strings {
	size_t n;
	char v[JSONIN_STRINGS_MAX][JSONIN_STRINGS_ITEM_MAX + 1];
};

/* Declaration helpers: where a member is, and its presence flag. */
#define JSONIN_AT(type, member)                                                \
	.offset = offsetof(type, member), .size = sizeof(((type *)0)->member)
#define JSONIN_PRESENT(type, member) .present = offsetof(type, member) + 1
#define JSONIN_COUNT(type, member) .count = offsetof(type, member) + 1
#define JSONIN_SPEC(type, fields)                                              \
	{                                                                      \
		(fields), sizeof(fields) / sizeof((fields)[0]), sizeof(type)   \
	}

enum jsonin_status {
	JSONIN_OK = 0,
	JSONIN_INVALID_JSON, /* not JSON, bad UTF-8, duplicate key, depth */
	JSONIN_NOT_OBJECT,   /* valid JSON but not an object */
	JSONIN_UNKNOWN_FIELD,
	JSONIN_INVALID_FIELD, /* wrong type, limits, NUL, number overflow */
	JSONIN_MISSING_FIELD
};

struct jsonin_error {
	enum jsonin_status status;
	char message[JSONIN_MESSAGE_MAX];
};

/**
 * jsonin_init():
 * Make jansson wipe every block it frees (bodies carry keys and wrapped
 * seeds).  Call once, before any other use of jansson in the process.
 */
void jsonin_init(void);

/**
 * jsonin_parse(spec, buf, len, out, e):
 * Parse the ${len} bytes at ${buf} against ${spec} into ${out} (a struct of
 * ${spec}->size bytes, zeroed first).  Return 0, or -1 with the reason in
 * ${e} and ${out} wiped.
 */
int jsonin_parse(const struct jsonin_spec *spec, const char *buf, size_t len,
    void *out, struct jsonin_error *e) __attribute__((warn_unused_result));

/**
 * jsonin_status_code(status):
 * Return the API error code of ${status} ("invalid_json" (also for a body
 * that is not an object), "unknown_field", "invalid_field",
 * "missing_field"), or NULL for JSONIN_OK.
 */
const char *jsonin_status_code(enum jsonin_status status);

/**
 * jsonin_spec_valid(spec):
 * Return 1 if ${spec} is well formed (names unique, sizes matching types,
 * limits consistent, members inside the struct), else 0.
 */
int jsonin_spec_valid(const struct jsonin_spec *spec);

/**
 * jsonin_depth_ok(buf, len, max):
 * Return 1 if the JSON text at ${buf} nests objects and arrays at most
 * ${max} deep (strings are skipped; the text need not be valid), else 0.
 */
int jsonin_depth_ok(const char *buf, size_t len, unsigned int max);

#endif /* !JSONIN_H_ */

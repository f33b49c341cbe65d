#ifndef DIRECTORY_H_
#define DIRECTORY_H_

#include <stddef.h>
#include <stdint.h>

/*
 * The directory's rules: what an organisation id, a member handle, a display
 * name and a set of roles may be.  Every front end validates through these.
 */

/* Roles, as bits of a mask. */
#define ROLE_MEMBER 0x01u
#define ROLE_COORDINATOR 0x02u
#define ROLE_DIRECTOR 0x04u
#define ROLE_PRINCIPAL 0x08u
#define ROLE_AUDITOR 0x10u
#define ROLE_ADMIN 0x20u
#define ROLE_ALL 0x3fu

/* Limits (bytes, excluding the NUL). */
#define DIRECTORY_ORG_ID_MAX 32
#define DIRECTORY_ORG_NAME_MAX 128
#define DIRECTORY_HANDLE_MAX 64
#define DIRECTORY_DISPLAY_NAME_MAX 128
/* Member ids: "m_" followed by 24 lowercase hex digits. */
#define DIRECTORY_MEMBER_ID_LEN 26
/* Longest "member,coordinator,..." string from directory_roles_format(). */
#define DIRECTORY_ROLES_STR_MAX 64

/**
 * directory_org_id_valid(id):
 * Return 1 if ${id} is 1..DIRECTORY_ORG_ID_MAX of [a-z0-9-], starting with
 * a letter, else 0.
 */
int directory_org_id_valid(const char *id);

/**
 * directory_handle_valid(handle):
 * Return 1 if ${handle} is 1..DIRECTORY_HANDLE_MAX of [a-z0-9.@-] (never
 * "_", so a handle cannot look like a member id "m_..."),
 * starting with a letter or digit, else 0.
 */
int directory_handle_valid(const char *handle);

/**
 * directory_name_valid(name, max):
 * Return 1 if ${name} is valid UTF-8 of 1..${max} bytes with no control
 * characters, bidirectional formatting characters or invisible characters
 * (zero-width, soft hyphen, byte order mark, ...), and no leading or trailing
 * space, else 0.  Used for display
 * names and organisation names.
 */
int directory_name_valid(const char *name, size_t max);

/**
 * directory_member_id_new(out):
 * Write a new random member id into ${out}.
 */
void directory_member_id_new(char out[DIRECTORY_MEMBER_ID_LEN + 1]);

/**
 * directory_member_id_valid(id):
 * Return 1 if ${id} has the member id syntax, else 0.
 */
int directory_member_id_valid(const char *id);

/**
 * directory_role_parse(name):
 * Return the ROLE_* bit named ${name} ("member", "coordinator", "director",
 * "principal", "auditor", "admin"), or 0 if unknown.
 */
unsigned int directory_role_parse(const char *name);

/**
 * directory_role_name(role):
 * Return the name of the single ROLE_* bit ${role}, or NULL.
 */
const char *directory_role_name(unsigned int role);

/**
 * directory_roles_format(out, cap, roles):
 * Write the comma-separated names of ${roles} into ${out}.  Return 0 or -1
 * if it does not fit.
 */
int directory_roles_format(char *out, size_t cap, unsigned int roles);

/**
 * directory_roles_valid(roles):
 * Return 1 if ${roles} is an allowed combination, else 0: non-empty, only
 * known bits, and admin never combined with any other role (an admin runs
 * the directory and can hold no role that reaches memo content), and every
 * non-admin role set includes member.
 */
int directory_roles_valid(unsigned int roles);

#endif /* !DIRECTORY_H_ */

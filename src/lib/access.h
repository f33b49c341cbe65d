#ifndef ACCESS_H_
#define ACCESS_H_

/*
 * Who may call what: the single place that decides which role set may use
 * which class of endpoint.  Every route of every front end names one class,
 * and the server asks access_allowed() before any handler runs.
 *
 * The rule behind the classes (SPEC: the admin runs the directory and never
 * sees content, grants or signer identities):
 *   ACCESS_PUBLIC   anyone, with or without a session (health, enrollment,
 *                   login);
 *   ACCESS_SESSION  any active member, admin included: the member's own
 *                   account and reads of the public directory;
 *   ACCESS_ADMIN    directory writes: only an admin;
 *   ACCESS_CONTENT  anything that carries memo data (texts, grants, signer
 *                   lists, access records): every member except an admin.
 * A role set that is not an allowed combination (directory_roles_valid())
 * reaches nothing beyond ACCESS_PUBLIC, so a corrupted or forged role mask
 * fails closed.
 */
enum access_class {
	ACCESS_PUBLIC = 0,
	ACCESS_SESSION,
	ACCESS_ADMIN,
	ACCESS_CONTENT
};

/* Role mask meaning "no session". */
#define ACCESS_NO_SESSION 0u

/**
 * access_allowed(roles, cls):
 * Return 1 if a caller holding the ROLE_* mask ${roles} (ACCESS_NO_SESSION
 * when unauthenticated) may use an endpoint of class ${cls}, else 0.
 */
int access_allowed(unsigned int roles, enum access_class cls);

/**
 * access_class_name(cls):
 * Return a short lowercase name of ${cls} ("public", "session", "admin",
 * "content"), or "unknown".
 */
const char *access_class_name(enum access_class cls);

#endif /* !ACCESS_H_ */

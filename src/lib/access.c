#include "access.h"
#include "directory.h"

/**
 * access_allowed(roles, cls):
 * Return 1 if a caller holding the ROLE_* mask ${roles} (ACCESS_NO_SESSION
 * when unauthenticated) may use an endpoint of class ${cls}, else 0.
 */
int
access_allowed(unsigned int roles, enum access_class cls)
{

	if (cls == ACCESS_PUBLIC)
		return (1);

	/* Beyond public endpoints, only a well-formed role set counts. */
	if (roles == ACCESS_NO_SESSION || !directory_roles_valid(roles))
		return (0);

	switch (cls) {
	case ACCESS_SESSION:
		return (1);
	case ACCESS_ADMIN:
		return ((roles & ROLE_ADMIN) != 0);
	case ACCESS_CONTENT:
		/* The admin runs the directory and never reaches content. */
		return ((roles & ROLE_ADMIN) == 0);
	case ACCESS_PUBLIC:
		break;
	}

	/* An unknown class is refused. */
	return (0);
}

/**
 * access_class_name(cls):
 * Return a short lowercase name of ${cls} ("public", "session", "admin",
 * "content"), or "unknown".
 */
const char *
access_class_name(enum access_class cls)
{

	switch (cls) {
	case ACCESS_PUBLIC:
		return ("public");
	case ACCESS_SESSION:
		return ("session");
	case ACCESS_ADMIN:
		return ("admin");
	case ACCESS_CONTENT:
		return ("content");
	}
	return ("unknown");
}

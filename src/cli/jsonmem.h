#ifndef JSONMEM_H_
#define JSONMEM_H_

#include <stddef.h>

/*
 * Jansson's memory in the CLI is wiped when freed: JSON objects carry
 * session tokens, authentication keys and wrapped seeds, which should not
 * linger in freed heap memory.
 */

/**
 * jsonmem_install():
 * Make jansson allocate through functions that wipe each block when it is
 * freed.  Call once, before any JSON value exists.
 */
void jsonmem_install(void);

/**
 * jsonmem_free_text(text):
 * Wipe and free ${text}, a string returned by json_dumps().  ${text} may
 * be NULL.
 */
void jsonmem_free_text(char *text);

#endif /* !JSONMEM_H_ */

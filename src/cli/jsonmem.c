#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "jsonmem.h"

/*
 * Each block is preceded by a header holding its size, so it can be wiped
 * when freed; the header is a max_align_t so the block stays aligned.
 */
#define HEADER sizeof(max_align_t)

/* Allocate ${n} bytes after a header recording ${n}. */
static void *
wipe_malloc(size_t n)
{
	uint8_t *p;

	if (n > SIZE_MAX - HEADER)
		return (NULL);
	if ((p = malloc(n + HEADER)) == NULL)
		return (NULL);
	memcpy(p, &n, sizeof(n));
	return (p + HEADER);
}

/* Wipe and free a block from wipe_malloc(). */
static void
wipe_free(void *ptr)
{
	uint8_t *p;
	size_t n;

	if (ptr == NULL)
		return;
	p = (uint8_t *)ptr - HEADER;
	memcpy(&n, p, sizeof(n));
	sodium_memzero(p, n + HEADER);
	free(p);
}

/**
 * jsonmem_install():
 * Make jansson allocate through functions that wipe each block when it is
 * freed.  Call once, before any JSON value exists.
 */
void
jsonmem_install(void)
{

	json_set_alloc_funcs(wipe_malloc, wipe_free);
}

/**
 * jsonmem_free_text(text):
 * Wipe and free ${text}, a string returned by json_dumps().  ${text} may
 * be NULL.
 */
void
jsonmem_free_text(char *text)
{
	json_malloc_t m;
	json_free_t f;

	if (text == NULL)
		return;
	/* json_dumps() allocates with whatever jansson is set to use. */
	json_get_alloc_funcs(&m, &f);
	sodium_memzero(text, strlen(text));
	f(text);
}

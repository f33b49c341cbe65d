#include <string.h>

#include <sodium.h>

#include "binenc.h"
#include "grant.h"

/* Domain tag (docs/PROTOCOL.md, "Domain tags"). */
#define TAG_GRANT "dissent/grant/v1"

/* str(tag) || str(purpose) || str(context) || key. */
#define GRANT_PLAIN_MAX                                                        \
	(4 + sizeof(TAG_GRANT) - 1 + 4 + GRANT_PURPOSE_MAX + 4 +               \
	    GRANT_CONTEXT_MAX + GRANT_KEY_BYTES)

/* The smallest grant: one-byte purpose, empty context. */
#define GRANT_PLAIN_MIN                                                        \
	(4 + sizeof(TAG_GRANT) - 1 + 4 + 1 + 4 + GRANT_KEY_BYTES)

_Static_assert(GRANT_PLAIN_MAX + crypto_box_SEALBYTES <= GRANT_SEALED_MAX,
    "GRANT_SEALED_MAX must hold the largest grant");

/*
 * Encode the grant plaintext for ${key}, ${purpose} and ${context} into
 * ${buf}.  Return 0, or -1 if ${purpose} is empty or a string is too long.
 */
static int
plaintext(uint8_t buf[GRANT_PLAIN_MAX], size_t *len,
    const uint8_t key[GRANT_KEY_BYTES], const char *purpose,
    const char *context)
{
	struct binenc e;
	size_t plen, clen;

	if (purpose == NULL || context == NULL)
		return (-1);
	plen = strnlen(purpose, GRANT_PURPOSE_MAX + 1);
	clen = strnlen(context, GRANT_CONTEXT_MAX + 1);
	if (plen == 0 || plen > GRANT_PURPOSE_MAX || clen > GRANT_CONTEXT_MAX)
		return (-1);
	binenc_init(&e, buf, GRANT_PLAIN_MAX);
	binenc_str(&e, TAG_GRANT);
	binenc_var(&e, (const uint8_t *)purpose, plen);
	binenc_var(&e, (const uint8_t *)context, clen);
	binenc_fixed(&e, key, GRANT_KEY_BYTES);
	return (binenc_finish(&e, len));
}

/**
 * grant_seal(out, outlen, key, purpose, context, recipient_box_pk):
 * Seal ${key} for the holder of ${recipient_box_pk}, bound to ${purpose}
 * (e.g. "memo-key") and ${context} (e.g. the memo id), writing at most
 * GRANT_SEALED_MAX bytes to ${out} and the length to ${outlen}.  Return 0,
 * or -1 if a string is too long or the public key is invalid.
 */
int
grant_seal(uint8_t out[GRANT_SEALED_MAX], size_t *outlen,
    const uint8_t key[GRANT_KEY_BYTES], const char *purpose,
    const char *context, const uint8_t recipient_box_pk[KEYS_BOX_PK_BYTES])
{
	uint8_t m[GRANT_PLAIN_MAX];
	size_t mlen = 0;

	/* A small-order key would let anyone read the grant. */
	if (keys_box_pk_check(recipient_box_pk) != 0)
		goto err0;
	if (plaintext(m, &mlen, key, purpose, context) != 0)
		goto err1;
	if (crypto_box_seal(out, m, mlen, recipient_box_pk) != 0)
		goto err1;
	*outlen = mlen + crypto_box_SEALBYTES;
	sodium_memzero(m, sizeof(m));
	return (0);

err1:
	sodium_memzero(m, sizeof(m));
err0:
	sodium_memzero(out, GRANT_SEALED_MAX);
	return (-1);
}

/**
 * grant_open(key, sealed, sealedlen, purpose, context, ks):
 * Open a grant sealed to ${ks} and check it was made for ${purpose} and
 * ${context}.  Return 0, or -1 (key wiped) on any failure.
 */
int
grant_open(uint8_t key[GRANT_KEY_BYTES], const uint8_t *sealed,
    size_t sealedlen, const char *purpose, const char *context,
    const struct keys_secret *ks)
{

	return (grant_open_box(key, sealed, sealedlen, purpose, context,
	    ks->pub.box_pk, ks->box_sk));
}

/**
 * grant_open_box(key, sealed, sealedlen, purpose, context, box_pk, box_sk):
 * As grant_open(), for a grant sealed to the X25519 key pair ${box_pk},
 * ${box_sk} rather than to a member's keys (the channel key, a memo's
 * roster key).  Return 0, or -1 (key wiped) on any failure.
 */
int
grant_open_box(uint8_t key[GRANT_KEY_BYTES], const uint8_t *sealed,
    size_t sealedlen, const char *purpose, const char *context,
    const uint8_t box_pk[KEYS_BOX_PK_BYTES],
    const uint8_t box_sk[KEYS_BOX_SK_BYTES])
{
	uint8_t m[GRANT_PLAIN_MAX];
	size_t mlen;
	struct bindec d;
	const uint8_t *tag, *p, *c;
	size_t taglen, plen, clen;

	if (purpose == NULL || context == NULL)
		goto err0;
	if (sealedlen < GRANT_PLAIN_MIN + crypto_box_SEALBYTES ||
	    sealedlen > GRANT_PLAIN_MAX + crypto_box_SEALBYTES)
		goto err0;
	mlen = sealedlen - crypto_box_SEALBYTES;
	if (crypto_box_seal_open(m, sealed, sealedlen, box_pk, box_sk) != 0)
		goto err1;

	/* Every field must match and nothing may follow the key. */
	bindec_init(&d, m, mlen);
	if (bindec_var(&d, &tag, &taglen, sizeof(TAG_GRANT) - 1) != 0 ||
	    taglen != sizeof(TAG_GRANT) - 1 ||
	    memcmp(tag, TAG_GRANT, taglen) != 0)
		goto err1;
	if (bindec_var(&d, &p, &plen, GRANT_PURPOSE_MAX) != 0 ||
	    plen != strlen(purpose) || memcmp(p, purpose, plen) != 0)
		goto err1;
	if (bindec_var(&d, &c, &clen, GRANT_CONTEXT_MAX) != 0 ||
	    clen != strlen(context) || memcmp(c, context, clen) != 0)
		goto err1;
	if (bindec_fixed(&d, key, GRANT_KEY_BYTES) != 0 ||
	    bindec_finish(&d) != 0)
		goto err1;
	sodium_memzero(m, sizeof(m));
	return (0);

err1:
	sodium_memzero(m, sizeof(m));
err0:
	sodium_memzero(key, GRANT_KEY_BYTES);
	return (-1);
}

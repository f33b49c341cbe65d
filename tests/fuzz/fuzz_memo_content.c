/*
 * Fuzz target: strict parsing of a memo version's decrypted content and of
 * a signer record from untrusted bytes (a client decodes what a co-drafter
 * encrypted; a drafter or the channel opens records that signers sealed).
 * Whatever decodes must re-encode to exactly the input: both encodings are
 * canonical.
 *
 * The input is parsed as content as a whole; if it fits a record, it is also
 * padded with zeros to MEMO_RECORD_PLAIN_BYTES, sealed to a fixed roster key
 * and opened with memo_record_open().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "memo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_content(const uint8_t *data, size_t size)
{
	struct memo_content c;
	uint8_t *again;
	size_t len;

	if (memo_content_decode(&c, data, size) != 0)
		return;
	if (!memo_content_check(&c))
		abort();
	if (memo_content_encode(&c, &again, &len) != 0)
		abort();
	if (len != size || memcmp(again, data, size) != 0)
		abort();
	free(again);
	memo_content_free(&c);
}

static void
fuzz_record(const uint8_t *data, size_t size)
{
	static const uint8_t seed[crypto_box_SEEDBYTES] = {1, 2, 3};
	uint8_t pk[MEMO_ROSTER_PK_BYTES], sk[MEMO_ROSTER_SK_BYTES];
	uint8_t m[MEMO_RECORD_PLAIN_BYTES], again[MEMO_RECORD_PLAIN_BYTES];
	uint8_t sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s;

	if (size > MEMO_RECORD_PLAIN_BYTES)
		return;
	if (crypto_box_seed_keypair(pk, sk, seed) != 0)
		abort();
	memset(m, 0, sizeof(m));
	if (size > 0)
		memcpy(m, data, size);
	if (crypto_box_seal(sealed, m, sizeof(m), pk) != 0)
		abort();
	if (memo_record_open(&s, sealed, pk, sk) != 0)
		return;
	/* Sealed again, it opens to the same padded plaintext. */
	if (memo_record_seal(sealed, &s, pk) != 0)
		abort();
	if (crypto_box_seal_open(again, sealed, sizeof(sealed), pk, sk) != 0)
		abort();
	if (memcmp(again, m, sizeof(m)) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{

	if (sodium_init() < 0)
		abort();
	fuzz_content(data, size);
	fuzz_record(data, size);
	return (0);
}

/*
 * bench_ring: the cost of linkable ring signatures (ring.c) per ring
 * member, against the same run's cost of the libsodium operations that one
 * member of the ring costs the verifier:
 *
 *   s*G                  crypto_scalarmult_ristretto255_base
 *   c*P, s*Hp, c*I       crypto_scalarmult_ristretto255, 3 times
 *   s*G + c*P, s*Hp + c*I   crypto_core_ristretto255_add, 2 times
 *   the next challenge   one BLAKE2b-64 from a saved prefix state over
 *                        L || R, reduced mod L
 *
 * libsodium has no variable-time or multi-scalar multiplication, so these
 * calls are the floor for a verifier built on its public API.  The baseline
 * ("ops") runs exactly those calls for every member of the ring, chained as
 * the verifier chains them, with none of ring_verify()'s checks.
 *
 * For each ring size it reports signing and verification, in total and per
 * member, and each as a multiple of the baseline: SPEC §8 asks for
 * verification within 1.3x of its operations, and for a 1,000-member ring
 * to verify in well under a second.  Times are the CPU time of the
 * benchmark's one thread.  Every round times baseline, signing and
 * verification back to back; times are the best round's and ratios the
 * median of the rounds' ratios, so that other load on the machine inflates
 * neither side alone.
 *
 * Usage: bench_ring [SIZE...]   (ring sizes, 2 to 65536; default 16 64
 * 256 1024 4096)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "ring.h"

#define MEMO "d_00112233445566778899aabb"
#define TREE 1000
#define ROUNDS 5
#define CALL_ITERS 400
/* Members signed or verified per round, at least (small rings repeat). */
#define WORK_MEMBERS 1024

static double
now(void)
{
	struct timespec ts;

	/* CPU time of this thread: other load on the machine shows less. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * The baseline: the verifier's libsodium calls for the ${n} members of
 * ${pks}, with the scalars of ${sig} and its tag; return 0 or -1.
 */
static int
ops_walk(const uint8_t (*pks)[32], size_t n, const uint8_t *sig,
    const uint8_t hp[32], const crypto_generichash_state *prefix)
{
	crypto_generichash_state st;
	uint8_t a[32], b[32], L[32], R[32], c[32], wide[64];
	const uint8_t *tag = sig + RING_SIG_BYTES(n) - 32;
	size_t i;

	memcpy(c, sig, 32);
	for (i = 0; i < n; i++) {
		const uint8_t *s = sig + 32 + 32 * i;

		if (crypto_scalarmult_ristretto255_base(a, s) != 0 ||
		    crypto_scalarmult_ristretto255(b, c, pks[i]) != 0 ||
		    crypto_core_ristretto255_add(L, a, b) != 0 ||
		    crypto_scalarmult_ristretto255(a, s, hp) != 0 ||
		    crypto_scalarmult_ristretto255(b, c, tag) != 0 ||
		    crypto_core_ristretto255_add(R, a, b) != 0)
			return (-1);
		st = *prefix;
		crypto_generichash_update(&st, L, 32);
		crypto_generichash_update(&st, R, 32);
		crypto_generichash_final(&st, wide, sizeof(wide));
		crypto_core_ristretto255_scalar_reduce(c, wide);
	}
	return (0);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

static double
median(double *v, size_t n)
{

	qsort(v, n, sizeof(*v), cmp_double);
	return (v[n / 2]);
}

/* Microseconds per call of each operation, for the record. */
static void
per_call(const uint8_t P[32])
{
	crypto_generichash_state prefix, st;
	uint8_t s[32], a[32], b[32], L[32], wide[64];
	volatile uint8_t sink = 0;
	double t0, tb, tv, ta, th;
	size_t i;

	crypto_core_ristretto255_scalar_random(s);
	crypto_generichash_init(&prefix, NULL, 0, 64);
	crypto_generichash_update(&prefix, s, 32);
	t0 = now();
	for (i = 0; i < CALL_ITERS; i++) {
		s[0] = (uint8_t)i;
		if (crypto_scalarmult_ristretto255_base(a, s) != 0)
			abort();
		sink ^= a[0];
	}
	tb = (now() - t0) * 1e6 / CALL_ITERS;
	t0 = now();
	for (i = 0; i < CALL_ITERS; i++) {
		s[0] = (uint8_t)i;
		if (crypto_scalarmult_ristretto255(b, s, P) != 0)
			abort();
		sink ^= b[0];
	}
	tv = (now() - t0) * 1e6 / CALL_ITERS;
	t0 = now();
	for (i = 0; i < CALL_ITERS; i++) {
		if (crypto_core_ristretto255_add(L, a, b) != 0)
			abort();
		sink ^= L[0];
	}
	ta = (now() - t0) * 1e6 / CALL_ITERS;
	t0 = now();
	for (i = 0; i < CALL_ITERS * 10; i++) {
		st = prefix;
		L[0] = (uint8_t)i;
		crypto_generichash_update(&st, L, 32);
		crypto_generichash_update(&st, b, 32);
		crypto_generichash_final(&st, wide, sizeof(wide));
		crypto_core_ristretto255_scalar_reduce(s, wide);
		sink ^= s[0];
	}
	th = (now() - t0) * 1e6 / (CALL_ITERS * 10);
	(void)sink;
	printf("  libsodium per call: base scalarmult %.1f us, scalarmult "
	       "%.1f us, add %.1f us, challenge hash %.2f us; one member's "
	       "ops %.1f us\n",
	    tb, tv, ta, th, tb + 3 * tv + 2 * ta + th);
}

static int
bench_size(size_t n, const uint8_t (*pks)[32], const uint8_t (*sks)[32])
{
	crypto_generichash_state prefix;
	uint8_t binding[RING_BINDING_BYTES], vh[32], hp[32];
	uint8_t *sig;
	double ops_us = 1e300, sign_us = 1e300, verify_us = 1e300;
	double sign_ratio[ROUNDS], verify_ratio[ROUNDS], t0, to, ts, tv;
	size_t reps = n >= WORK_MEMBERS ? 1 : WORK_MEMBERS / n;
	size_t r, i, signer = n / 3;

	if ((sig = malloc(RING_SIG_BYTES(n))) == NULL)
		return (-1);
	memset(vh, 0x5a, sizeof(vh));
	ring_binding_version(binding, vh);
	/* Any point and prefix: the baseline's cost does not depend on them. */
	crypto_core_ristretto255_random(hp);
	crypto_generichash_init(&prefix, NULL, 0, 64);
	crypto_generichash_update(&prefix, binding, sizeof(binding));
	if (ring_sign(sig, RING_SIG_BYTES(n), pks, n, signer, sks[signer], MEMO,
		binding, TREE) != 0)
		goto fail;

	for (r = 0; r < ROUNDS; r++) {
		t0 = now();
		for (i = 0; i < reps; i++)
			if (ops_walk(pks, n, sig, hp, &prefix) != 0)
				goto fail;
		to = (now() - t0) * 1e6 / (double)reps;
		t0 = now();
		for (i = 0; i < reps; i++)
			if (ring_sign(sig, RING_SIG_BYTES(n), pks, n, signer,
				sks[signer], MEMO, binding, TREE) != 0)
				goto fail;
		ts = (now() - t0) * 1e6 / (double)reps;
		t0 = now();
		for (i = 0; i < reps; i++)
			if (ring_verify(sig, RING_SIG_BYTES(n), pks, n, n, MEMO,
				binding, TREE, NULL) != 0)
				goto fail;
		tv = (now() - t0) * 1e6 / (double)reps;
		sign_ratio[r] = ts / to;
		verify_ratio[r] = tv / to;
		if (to < ops_us)
			ops_us = to;
		if (ts < sign_us)
			sign_us = ts;
		if (tv < verify_us)
			verify_us = tv;
	}
	printf("  %6zu %10.1f %10.1f %10.1f %9.1f %9.1f %9.1f %8.2fx %8.2fx\n",
	    n, ops_us / 1e3, sign_us / 1e3, verify_us / 1e3, ops_us / (double)n,
	    sign_us / (double)n, verify_us / (double)n,
	    median(sign_ratio, ROUNDS), median(verify_ratio, ROUNDS));
	free(sig);
	return (0);

fail:
	fprintf(stderr, "bench_ring: signing or verification failed\n");
	free(sig);
	return (-1);
}

int
main(int argc, char *argv[])
{
	static const size_t defaults[] = {16, 64, 256, 1024, 4096};
	size_t sizes[32], nsizes = 0, maxn = 0, i;
	uint8_t(*sks)[32], (*pks)[32];
	char *end;

	if (sodium_init() < 0)
		return (1);
	if (argc > 1) {
		for (i = 1; i < (size_t)argc && nsizes < 32; i++) {
			unsigned long v = strtoul(argv[i], &end, 10);

			if (*end != '\0' || v < RING_MIN || v > RING_N_LIMIT) {
				fprintf(stderr, "bench_ring: bad size %s\n",
				    argv[i]);
				return (1);
			}
			sizes[nsizes++] = v;
		}
	} else {
		for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			sizes[nsizes++] = defaults[i];
	}
	for (i = 0; i < nsizes; i++)
		if (sizes[i] > maxn)
			maxn = sizes[i];

	/* Random members; distinct with overwhelming probability. */
	sks = malloc(maxn * 32);
	pks = malloc(maxn * 32);
	if (sks == NULL || pks == NULL) {
		fprintf(stderr, "bench_ring: out of memory\n");
		return (1);
	}
	for (i = 0; i < maxn; i++) {
		crypto_core_ristretto255_scalar_random(sks[i]);
		if (crypto_scalarmult_ristretto255_base(pks[i], sks[i]) != 0)
			return (1);
	}

	per_call(pks[0]);
	printf("  %6s %10s %10s %10s %9s %9s %9s %9s %9s\n", "ring", "ops ms",
	    "sign ms", "verify ms", "ops us/m", "sign us/m", "verif us/m",
	    "sign/ops", "verif/ops");
	for (i = 0; i < nsizes; i++) {
		if (bench_size(sizes[i], (const uint8_t(*)[32])pks,
			(const uint8_t(*)[32])sks) != 0)
			return (1);
	}
	printf("  (thread CPU times, best of %d rounds; ratios: median of the "
	       "rounds; target: verif/ops <= 1.30, 1000 members well under "
	       "1 s)\n",
	    ROUNDS);
	sodium_memzero(sks, maxn * 32);
	free(sks);
	free(pks);
	return (0);
}

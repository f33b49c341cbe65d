/*
 * bench_audit: the cost of `dissent audit` over a whole log (SPEC §8: a
 * whole-log audit of 10^6 events in seconds).  It builds N directory events
 * of a realistic mix in memory (each member created, enrolled, then some
 * rotated, re-roled or suspended and reinstated), then times audit_append()
 * over all of them: strict decoding, the timeline's rules and the Merkle
 * tree.  The baseline, measured in the same run, is the bare RFC 9162 leaf
 * hashing of the same entries, which no audit can avoid; the ratio says
 * what decoding and rule checking add.  The network transfer of the entries
 * is not included.
 *
 * Usage: bench_audit [N]   (default 1000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit.h"
#include "directory.h"
#include "event.h"
#include "merkle.h"

struct entry {
	uint8_t buf[256];
	size_t len;
};

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Encode ${ev} into the next entry; exit on failure (a bench bug). */
static void
put(struct entry *e, size_t *n, size_t max, const struct event *ev)
{

	if (*n >= max)
		return;
	if (event_encode(e[*n].buf, sizeof(e[*n].buf), &e[*n].len, ev) != 0) {
		fprintf(stderr, "bench_audit: cannot encode an event\n");
		exit(1);
	}
	(*n)++;
}

int
main(int argc, char *argv[])
{
	struct entry *entries;
	struct audit *a;
	struct event ev;
	struct keys_public pub;
	char err[AUDIT_ERR_MAX];
	uint8_t h[MERKLE_HASH_BYTES];
	size_t want = 1000000, n = 0, i, m;
	double t0, base, audit_t;
	uint64_t time_s = 1800000000;

	if (argc > 1 && (want = strtoul(argv[1], NULL, 10)) < 10) {
		fprintf(stderr, "usage: bench_audit [N >= 10]\n");
		exit(2);
	}
	if (sodium_init() < 0)
		exit(1);
	if ((entries = calloc(want, sizeof(*entries))) == NULL) {
		fprintf(stderr, "bench_audit: out of memory\n");
		exit(1);
	}

	/* The directory's history: one organisation, then members. */
	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = EVENT_ORG_CREATED;
	ev.time = time_s;
	memcpy(ev.org_id, "state", 6);
	put(entries, &n, want, &ev);
	for (m = 0; n < want; m++) {
		char id[DIRECTORY_MEMBER_ID_LEN + 1];

		(void)snprintf(id, sizeof(id), "m_%024zx", m);
		memset(&ev, 0, sizeof(ev));
		ev.version = EVENT_FORMAT_VERSION;
		ev.time = ++time_s;
		memcpy(ev.member_id, id, sizeof(id));
		memcpy(ev.org_id, "state", 6);
		ev.type = EVENT_MEMBER_CREATED;
		ev.roles = ROLE_MEMBER;
		ev.eligible = 1;
		put(entries, &n, want, &ev);
		randombytes_buf(&pub, sizeof(pub));
		event_keys_hash(ev.keys_hash, &pub);
		ev.org_id[0] = '\0';
		ev.type = EVENT_MEMBER_ENROLLED;
		ev.epoch = 1;
		put(entries, &n, want, &ev);
		if (m % 3 == 0) {
			ev.type = EVENT_KEYS_ROTATED;
			ev.epoch = 2;
			randombytes_buf(&pub, sizeof(pub));
			event_keys_hash(ev.keys_hash, &pub);
			put(entries, &n, want, &ev);
		}
		if (m % 7 == 0) {
			memset(ev.keys_hash, 0, sizeof(ev.keys_hash));
			ev.epoch = 0;
			ev.type = EVENT_ROLES_CHANGED;
			ev.roles = ROLE_MEMBER | ROLE_PRINCIPAL;
			put(entries, &n, want, &ev);
		}
		if (m % 11 == 0) {
			memset(ev.keys_hash, 0, sizeof(ev.keys_hash));
			ev.epoch = 0;
			ev.roles = 0;
			ev.type = EVENT_MEMBER_SUSPENDED;
			put(entries, &n, want, &ev);
			ev.type = EVENT_MEMBER_REINSTATED;
			put(entries, &n, want, &ev);
		}
	}

	/* Baseline: RFC 9162 leaf hashes of the same entries. */
	t0 = now_seconds();
	for (i = 0; i < n; i++) {
		if (merkle_leaf_hash(h, entries[i].buf, entries[i].len) != 0)
			exit(1);
	}
	base = now_seconds() - t0;

	if ((a = audit_new()) == NULL)
		exit(1);
	t0 = now_seconds();
	for (i = 0; i < n; i++) {
		if (audit_append(a, entries[i].buf, entries[i].len, &ev, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "bench_audit: %s\n", err);
			exit(1);
		}
	}
	if (audit_root(a, h) != 0)
		exit(1);
	audit_t = now_seconds() - t0;

	printf("whole-log audit of %zu directory events (%zu members), in memory\n",
	    n, m);
	printf("  baseline, leaf hashes only: %8.3f s  (%.0f entries/s)\n", base,
	    (double)n / base);
	printf("  audit (decode, rules, tree): %8.3f s  (%.0f entries/s)\n",
	    audit_t, (double)n / audit_t);
	printf("  ratio audit/leaf hashing: %.2f; target: 10^6 events in seconds: %s\n",
	    audit_t / base,
	    (n >= 1000000 && audit_t < 10.0) ? "met" :
	    (n < 1000000 ? "n/a (fewer events)" : "missed"));
	audit_free(a);
	free(entries);
	return (0);
}

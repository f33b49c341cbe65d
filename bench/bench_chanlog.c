/*
 * bench_chanlog: the channel log on its SQLite store (chanlog.c over
 * store_sqlite.c), against baselines measured in the same run.
 *
 * Appends: N events (10^6 by default) in transactions of B events (1000),
 * each through chanlog_append_batch() (encode, leaf hash, tree nodes, one
 * store call), committed durably (WAL, synchronous=FULL) as dissentd does.
 * Baselines, same N, same batch size:
 *   - "insert": plain INSERTs of the same encoded bytes, one row each,
 *     into a table with an integer key in a SQLite file with the same
 *     settings: the cost of storing the events and nothing else;
 *   - "merkle_mem": the same leaves appended to the in-memory tree of
 *     merkle_mem.c: the hashing alone.
 * Proofs: inclusion and consistency proofs at the final size, generated
 * from the store (each reads O(log n) nodes through the store interface)
 * and checked against the signed head; a head signature and the start-up
 * check (chanlog_open) at that size.
 *
 * SPEC §8 asks for at least 50,000 appends/s in batches.
 *
 * Usage: bench_chanlog [N [BATCH [DIR]]]   (N up to 10^8; DIR: $TMPDIR)
 * The SQL of the "insert" baseline is the only SQL outside the store: it
 * measures SQLite itself, not dissent.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "chanlog.h"
#include "event.h"
#include "merkle.h"
#include "merkle_mem.h"
#include "store.h"
#include "treehead.h"

#define N_DEFAULT 1000000ULL
#define N_MAX 100000000ULL
#define BATCH_DEFAULT 1000
#define PROOFS 2000
#define LOOKUPS 200

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* A fixed-seed generator so that runs are comparable. */
static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rng_below(uint64_t n)
{

	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng % n);
}

static void
die(const char *what)
{

	fprintf(stderr, "bench_chanlog: %s\n", what);
	exit(1);
}

/*
 * Event i: a directory event of one of four kinds for one of 10^5
 * members, 45 to 70 bytes encoded, none of them key events (which need a
 * key history in the store).
 */
static void
make_event(struct event *ev, uint64_t i)
{
	static const uint16_t types[] = {EVENT_MEMBER_CREATED,
	    EVENT_ROLES_CHANGED, EVENT_ELIGIBILITY_CHANGED,
	    EVENT_MEMBER_SUSPENDED};

	memset(ev, 0, sizeof(*ev));
	ev->version = EVENT_FORMAT_VERSION;
	ev->type = types[i % 4];
	ev->time = 1764400000 + i / 1000;
	(void)snprintf(ev->member_id, sizeof(ev->member_id), "m_%024" PRIx64,
	    (i * 2654435761u) % 100000);
	memcpy(ev->org_id, "state", 6);
	ev->roles = 1 | (unsigned int)(i & 2);
	ev->eligible = (uint8_t)(i & 1);
}

static void
paths(char *db, char *base, size_t cap, const char *dir)
{

	(void)snprintf(db, cap, "%s/bench_chanlog.%d.db", dir, (int)getpid());
	(void)snprintf(
	    base, cap, "%s/bench_chanlog_insert.%d.db", dir, (int)getpid());
}

static void
remove_db(const char *path)
{
	char p[1200];

	(void)unlink(path);
	(void)snprintf(p, sizeof(p), "%s-wal", path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", path);
	(void)unlink(p);
}

/* The "insert" baseline: N rows of the same bytes, B per transaction. */
static double
baseline_insert(const char *path, uint64_t n, size_t batch)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev;
	sqlite3_stmt *st;
	sqlite3 *db;
	uint64_t i;
	size_t len;
	double t0;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
		"CREATE TABLE rows (idx INTEGER PRIMARY KEY, event BLOB "
		"NOT NULL) STRICT",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO rows VALUES (?1, ?2)", -1, &st,
		NULL) != SQLITE_OK)
		die("baseline database");
	t0 = now();
	for (i = 0; i < n; i++) {
		if (i % batch == 0 && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL,
					  NULL, NULL) != SQLITE_OK)
			die("baseline begin");
		make_event(&ev, i);
		if (event_encode(buf, sizeof(buf), &len, &ev) != 0)
			die("encode");
		if (sqlite3_bind_int64(st, 1, (sqlite3_int64)i) != SQLITE_OK ||
		    sqlite3_bind_blob(st, 2, buf, (int)len, SQLITE_STATIC) !=
			SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_DONE ||
		    sqlite3_reset(st) != SQLITE_OK)
			die("baseline insert");
		if ((i + 1) % batch == 0 || i + 1 == n) {
			if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) !=
			    SQLITE_OK)
				die("baseline commit");
		}
	}
	t0 = now() - t0;
	(void)sqlite3_finalize(st);
	(void)sqlite3_close(db);
	return (t0);
}

/* The "merkle_mem" baseline: the same leaves, hashed in memory. */
static double
baseline_mem(uint64_t n)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct merkle_mem *m;
	struct event ev;
	uint64_t i;
	size_t len;
	double t0;

	if ((m = merkle_mem_new(n)) == NULL)
		die("merkle_mem_new");
	t0 = now();
	for (i = 0; i < n; i++) {
		make_event(&ev, i);
		if (event_encode(buf, sizeof(buf), &len, &ev) != 0 ||
		    merkle_mem_append(m, buf, len) != 0)
			die("merkle_mem_append");
	}
	t0 = now() - t0;
	merkle_mem_free(m);
	return (t0);
}

/* Append N events to ${cl} in batches of ${batch}; the elapsed time. */
static double
append_all(struct store *s, struct chanlog *cl, uint64_t n, size_t batch)
{
	struct event *evs;
	uint64_t i, first;
	size_t k, j;
	double t0;

	if ((evs = calloc(batch, sizeof(*evs))) == NULL)
		die("out of memory");
	t0 = now();
	for (i = 0; i < n; i += k) {
		k = n - i < batch ? (size_t)(n - i) : batch;
		for (j = 0; j < k; j++)
			make_event(&evs[j], i + j);
		if (store_begin(s) != 0 ||
		    chanlog_append_batch(cl, evs, k, &first) != CHANLOG_OK ||
		    first != i || store_commit(s) != 0)
			die("append");
	}
	t0 = now() - t0;
	free(evs);
	return (t0);
}

/* Time PROOFS inclusion proofs at the head's size, checking each. */
static double
bench_inclusion(struct store *s, struct chanlog *cl, const struct treehead *th)
{
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct store_log_entry *e;
	uint64_t idx[PROOFS];
	size_t nh, n, i;
	double t0, t;

	for (i = 0; i < PROOFS; i++)
		idx[i] = rng_below(th->size);
	t0 = now();
	for (i = 0; i < PROOFS; i++)
		if (chanlog_inclusion_proof(cl, idx[i], th->size, proof, &nh) !=
		    CHANLOG_OK)
			die("inclusion proof");
	t = (now() - t0) / PROOFS;
	/* Check a few against the signed head (outside the timing). */
	for (i = 0; i < 20; i++) {
		if (store_log_entries(s, idx[i], 1, &e, &n) != STORE_OK ||
		    n != 1 ||
		    chanlog_inclusion_proof(cl, idx[i], th->size, proof, &nh) !=
			CHANLOG_OK ||
		    treehead_check_inclusion(
			th, e[0].event, e[0].len, idx[i], proof, nh) != 0)
			die("an inclusion proof does not verify");
		free(e);
	}
	return (t);
}

/* Time PROOFS consistency proofs from random sizes to the head's. */
static double
bench_consistency(struct chanlog *cl, const struct treehead *th)
{
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	uint8_t root[MERKLE_HASH_BYTES];
	uint64_t m[PROOFS];
	size_t nh, i;
	double t0, t;

	for (i = 0; i < PROOFS; i++)
		m[i] = 1 + rng_below(th->size);
	t0 = now();
	for (i = 0; i < PROOFS; i++)
		if (chanlog_consistency_proof(cl, m[i], th->size, proof, &nh) !=
		    CHANLOG_OK)
			die("consistency proof");
	t = (now() - t0) / PROOFS;
	for (i = 0; i < 20; i++) {
		if (chanlog_root(cl, m[i], root) != CHANLOG_OK ||
		    chanlog_consistency_proof(cl, m[i], th->size, proof, &nh) !=
			CHANLOG_OK ||
		    merkle_consistency_verify(
			m[i], th->size, root, th->root, proof, nh) != 0)
			die("a consistency proof does not verify");
	}
	return (t);
}

/* Time LOOKUPS lookups by leaf hash of random entries. */
static double
bench_find(struct store *s, const struct treehead *th)
{
	uint8_t hash[LOOKUPS][MERKLE_HASH_BYTES];
	struct store_log_entry *e;
	uint64_t want[LOOKUPS], got;
	size_t n, i;
	double t0;

	for (i = 0; i < LOOKUPS; i++) {
		want[i] = rng_below(th->size);
		if (store_log_entries(s, want[i], 1, &e, &n) != STORE_OK ||
		    n != 1)
			die("entries");
		memcpy(hash[i], e[0].leaf_hash, MERKLE_HASH_BYTES);
		free(e);
	}
	t0 = now();
	for (i = 0; i < LOOKUPS; i++)
		/* Events repeat (10^5 members), so an equal earlier one. */
		if (store_log_find(s, hash[i], th->size, &got) != STORE_OK ||
		    got > want[i])
			die("find");
	return ((now() - t0) / LOOKUPS);
}

/* Bytes of the database ${path} and its WAL. */
static double
db_bytes(const char *path)
{
	char p[1200];
	struct stat st;
	double total = 0;

	if (stat(path, &st) == 0)
		total += (double)st.st_size;
	(void)snprintf(p, sizeof(p), "%s-wal", path);
	if (stat(p, &st) == 0)
		total += (double)st.st_size;
	return (total);
}

int
main(int argc, char *argv[])
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char db[1100], base[1100], url[1200], err[CHANLOG_ERR_MAX];
	const char *dir;
	struct chanlog *cl;
	struct treehead th;
	struct store *s;
	uint64_t n = N_DEFAULT;
	size_t batch = BATCH_DEFAULT;
	double t_log, t_ins, t_mem, t_incl, t_cons, t0, t_sign, t_open, t_find;
	int did;

	if (sodium_init() < 0)
		die("sodium_init");
	if (argc > 1 && ((n = strtoull(argv[1], NULL, 10)) < 1 || n > N_MAX))
		die("N must be 1 to 10^8");
	if (argc > 2 && ((batch = (size_t)strtoul(argv[2], NULL, 10)) < 1 ||
			    batch > CHANLOG_BATCH_MAX))
		die("BATCH must be 1 to 1000");
	dir = argc > 3 ? argv[3] : getenv("TMPDIR");
	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	paths(db, base, sizeof(db), dir);
	(void)snprintf(url, sizeof(url), "sqlite:%s", db);
	crypto_sign_keypair(pk, sk);

	printf("== Channel log on SQLite: %" PRIu64
	       " events in transactions of %zu (WAL, synchronous=FULL) ==\n",
	    n, batch);
	if (store_open(&s, url, 1764400000) != 0 ||
	    chanlog_open(&cl, s, "bench", sk, err, sizeof(err)) != 0)
		die("open");
	t_log = append_all(s, cl, n, batch);
	t_ins = baseline_insert(base, n, batch);
	remove_db(base);
	t_mem = baseline_mem(n);
	printf("  chanlog appends:        %10.0f /s  (%.1f s)\n", n / t_log,
	    t_log);
	printf("  plain INSERTs (same bytes, same batches): %10.0f /s\n",
	    n / t_ins);
	printf("  merkle_mem appends:     %10.0f /s\n", n / t_mem);
	printf("  ratio chanlog/INSERT:   %.2f  (chanlog appends at %.2f of "
	       "the rate of storing the bytes alone)\n",
	    t_ins / t_log, t_ins / t_log);
	printf("  ratio chanlog/merkle_mem: %.2f\n", t_mem / t_log);
	printf("  target >= 50000 appends/s: %s\n",
	    n / t_log >= 50000 ? "met" : "NOT met");

	t0 = now();
	if (chanlog_sign(cl, (uint64_t)time(NULL), &did) != CHANLOG_OK ||
	    !did || chanlog_latest(cl, &th) != CHANLOG_OK || th.size != n)
		die("sign");
	t_sign = now() - t0;
	if (treehead_verify(&th, pk) != 0)
		die("the signed head does not verify");
	t_incl = bench_inclusion(s, cl, &th);
	t_cons = bench_consistency(cl, &th);
	t_find = bench_find(s, &th);
	chanlog_free(cl);
	t0 = now();
	if (chanlog_open(&cl, s, "bench", sk, err, sizeof(err)) != 0)
		die(err);
	t_open = now() - t0;
	printf("== Proofs from the store at %" PRIu64
	       " entries (%d each, random) ==\n",
	    n, PROOFS);
	printf("  inclusion proof:   %8.1f us\n", t_incl * 1e6);
	printf("  consistency proof: %8.1f us\n", t_cons * 1e6);
	printf("  sign a head (root + consistency from the store, Ed25519): "
	       "%.1f us\n",
	    t_sign * 1e6);
	printf("  start-up check (chanlog_open): %.1f us\n", t_open * 1e6);
	printf("  lookup by leaf hash (%d, random): %.1f us\n", LOOKUPS,
	    t_find * 1e6);
	printf("  database: %.0f bytes per entry\n", db_bytes(db) / (double)n);

	chanlog_free(cl);
	store_free(s);
	remove_db(db);
	sodium_memzero(sk, sizeof(sk));
	return (0);
}

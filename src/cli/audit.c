#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "b64.h"
#include "directory.h"
#include "event.h"
#include "merkle.h"

/* Event types are below this (memo and channel events take 100..199). */
#define TYPES_MAX 200

/* Longest key of a table: an organisation id (member ids are shorter). */
#define KEY_MAX DIRECTORY_ORG_ID_MAX

/* A member, or (with only the key used) an organisation. */
struct slot {
	char key[KEY_MAX + 1]; /* "" when free */
	char org[DIRECTORY_ORG_ID_MAX + 1];
	uint32_t roles;
	uint32_t epoch; /* 0 until enrolled */
	uint8_t eligible;
	uint8_t status;
};

/*
 * An open-addressing hash table of at most AUDIT_MEMBERS_MAX slots in use,
 * keyed with SipHash under a random key so that a server cannot choose ids
 * that collide and make the audit quadratic.
 */
struct table {
	struct slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

struct audit {
	uint64_t size;
	/* edge[k]: node (k, size / 2^k - 1) when bit k of size is set. */
	uint8_t edge[MERKLE_MAX_LEVELS][MERKLE_HASH_BYTES];
	uint64_t counts[TYPES_MAX];
	struct table orgs;
	struct table members;
	uint8_t hkey[crypto_shorthash_KEYBYTES];
};

static const char *const status_names[] = {"pending", "active", "suspended"};

/* The slot index where ${key} starts its probe in ${t}. */
static size_t
probe_start(const struct audit *a, const struct table *t, const char *key)
{
	uint8_t h[crypto_shorthash_BYTES];
	uint64_t v = 0;
	size_t i;

	(void)crypto_shorthash(h, (const uint8_t *)key, strlen(key), a->hkey);
	for (i = 0; i < sizeof(h); i++)
		v = v << 8 | h[i];
	return ((size_t)v & (t->cap - 1));
}

/* Find ${key} in ${t}, or NULL. */
static struct slot *
table_find(const struct audit *a, const struct table *t, const char *key)
{
	size_t i;

	if (t->cap == 0)
		return (NULL);
	for (i = probe_start(a, t, key);; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].key[0] == '\0')
			return (NULL);
		if (strcmp(t->slots[i].key, key) == 0)
			return (&t->slots[i]);
	}
}

/* Put the copy ${s} into ${t}, which has room and does not hold its key. */
static struct slot *
table_place(const struct audit *a, struct table *t, const struct slot *s)
{
	size_t i;

	for (i = probe_start(a, t, s->key); t->slots[i].key[0] != '\0';
	     i = (i + 1) & (t->cap - 1))
		;
	t->slots[i] = *s;
	t->n++;
	return (&t->slots[i]);
}

/* Make room in ${t} for one more slot in use: 0, or -1 if full or OOM. */
static int
table_reserve(const struct audit *a, struct table *t)
{
	struct slot *old = t->slots;
	size_t oldcap = t->cap, cap, i;

	if (t->n >= AUDIT_MEMBERS_MAX)
		return (-1);
	/* Keep the load at most one half. */
	if ((t->n + 1) * 2 <= t->cap)
		return (0);
	cap = t->cap == 0 ? 64 : t->cap * 2;
	if ((t->slots = calloc(cap, sizeof(*t->slots))) == NULL) {
		t->slots = old;
		return (-1);
	}
	t->cap = cap;
	t->n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].key[0] != '\0')
			(void)table_place(a, t, &old[i]);
	free(old);
	return (0);
}

/* Insert a new slot for ${key} (not in ${t}); return it, or NULL. */
static struct slot *
table_insert(const struct audit *a, struct table *t, const char *key)
{
	struct slot s;

	if (strlen(key) > KEY_MAX || table_reserve(a, t) != 0)
		return (NULL);
	memset(&s, 0, sizeof(s));
	memcpy(s.key, key, strlen(key) + 1);
	return (table_place(a, t, &s));
}

/**
 * audit_new():
 * Return the state of an empty log (size 0, no directory), or NULL if out
 * of memory.
 */
struct audit *
audit_new(void)
{
	struct audit *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return (NULL);
	crypto_shorthash_keygen(a->hkey);
	return (a);
}

/**
 * audit_free(a):
 * Free ${a}; do nothing if ${a} is NULL.
 */
void
audit_free(struct audit *a)
{

	if (a == NULL)
		return;
	free(a->orgs.slots);
	free(a->members.slots);
	free(a);
}

/**
 * audit_size(a):
 * Return the number of entries ${a} has checked.
 */
uint64_t
audit_size(const struct audit *a)
{

	return (a->size);
}

/* merkle_source over the right edge: only its nodes exist. */
static int
edge_node(void *ctx, unsigned int level, uint64_t index,
    uint8_t out[MERKLE_HASH_BYTES])
{
	const struct audit *a = ctx;

	if (level >= MERKLE_MAX_LEVELS || ((a->size >> level) & 1) == 0 ||
	    index != (a->size >> level) - 1)
		return (-1);
	memcpy(out, a->edge[level], MERKLE_HASH_BYTES);
	return (0);
}

/**
 * audit_root(a, root):
 * Write the root of the tree of the entries ${a} has checked into ${root}.
 * Return 0, or -1 if the state is inconsistent.
 */
int
audit_root(const struct audit *a, uint8_t root[MERKLE_HASH_BYTES])
{
	struct merkle_source src;

	/* merkle_root() only reads; the cast drops const for the callback. */
	src.node = edge_node;
	src.ctx = (void *)(uintptr_t)a;
	return (merkle_root(&src, a->size, root));
}

/*
 * Check ${ev} against the timeline's state before it: return NULL if it
 * follows the rules, else write why into ${why} and return it.
 */
static const char *
rule_broken(
    const struct audit *a, const struct event *ev, char *why, size_t cap)
{
	const struct slot *m = NULL;

	/*
	 * Memo and channel events enter the tree and the counts; the
	 * timeline checked here is the directory's.
	 */
	if (ev->type >= EVENT_MEMO_SUBMITTED)
		return (NULL);
	switch (ev->type) {
	case EVENT_ORG_CREATED:
		if (table_find(a, &a->orgs, ev->org_id) != NULL) {
			(void)snprintf(why, cap,
			    "organisation %s is created twice", ev->org_id);
			return (why);
		}
		return (NULL);
	case EVENT_MEMBER_CREATED:
		if (table_find(a, &a->members, ev->member_id) != NULL) {
			(void)snprintf(why, cap, "member %s is created twice",
			    ev->member_id);
			return (why);
		}
		if (table_find(a, &a->orgs, ev->org_id) == NULL) {
			(void)snprintf(why, cap,
			    "member %s is created in unknown organisation %s",
			    ev->member_id, ev->org_id);
			return (why);
		}
		return (NULL);
	default:
		break;
	}
	if ((m = table_find(a, &a->members, ev->member_id)) == NULL) {
		(void)snprintf(
		    why, cap, "it names unknown member %s", ev->member_id);
		return (why);
	}
	switch (ev->type) {
	case EVENT_MEMBER_ENROLLED:
		if (m->epoch != 0)
			(void)snprintf(why, cap,
			    "member %s enrolls again (keys at epoch %u)",
			    ev->member_id, m->epoch);
		else if (m->status != AUDIT_PENDING)
			(void)snprintf(why, cap, "member %s enrolls while %s",
			    ev->member_id, status_names[m->status]);
		else if (ev->epoch != 1)
			(void)snprintf(why, cap,
			    "member %s enrolls at key epoch %u, not 1",
			    ev->member_id, ev->epoch);
		else
			return (NULL);
		return (why);
	case EVENT_KEYS_ROTATED:
		if (m->epoch == 0)
			(void)snprintf(why, cap,
			    "member %s rotates keys without having enrolled",
			    ev->member_id);
		else if (m->status != AUDIT_ACTIVE)
			(void)snprintf(why, cap,
			    "member %s rotates keys while %s", ev->member_id,
			    status_names[m->status]);
		else if (ev->epoch != m->epoch + 1)
			(void)snprintf(why, cap,
			    "member %s rotates keys to epoch %u, but holds "
			    "epoch %u",
			    ev->member_id, ev->epoch, m->epoch);
		else
			return (NULL);
		return (why);
	case EVENT_MEMBER_SUSPENDED:
		if (m->status == AUDIT_SUSPENDED) {
			(void)snprintf(why, cap,
			    "member %s is suspended while suspended",
			    ev->member_id);
			return (why);
		}
		return (NULL);
	case EVENT_MEMBER_REINSTATED:
		if (m->status != AUDIT_SUSPENDED) {
			(void)snprintf(why, cap,
			    "member %s is reinstated while %s", ev->member_id,
			    status_names[m->status]);
			return (why);
		}
		return (NULL);
	default:
		return (NULL);
	}
}

/* Apply ${ev}, which follows the rules, to the timeline; 0 or -1 (OOM). */
static int
apply(struct audit *a, const struct event *ev)
{
	struct slot *m;

	/* Memo and channel events change nothing in the directory. */
	if (ev->type >= EVENT_MEMO_SUBMITTED)
		return (0);
	switch (ev->type) {
	case EVENT_ORG_CREATED:
		return (table_insert(a, &a->orgs, ev->org_id) != NULL ? 0 : -1);
	case EVENT_MEMBER_CREATED:
		if ((m = table_insert(a, &a->members, ev->member_id)) == NULL)
			return (-1);
		memcpy(m->org, ev->org_id, sizeof(m->org));
		m->roles = ev->roles;
		m->eligible = ev->eligible;
		m->status = AUDIT_PENDING;
		return (0);
	default:
		break;
	}
	m = table_find(a, &a->members, ev->member_id);
	switch (ev->type) {
	case EVENT_MEMBER_ENROLLED:
		m->status = AUDIT_ACTIVE;
		m->epoch = ev->epoch;
		break;
	case EVENT_KEYS_ROTATED:
		m->epoch = ev->epoch;
		break;
	case EVENT_MEMBER_SUSPENDED:
		m->status = AUDIT_SUSPENDED;
		break;
	case EVENT_MEMBER_REINSTATED:
		m->status = m->epoch > 0 ? AUDIT_ACTIVE : AUDIT_PENDING;
		break;
	case EVENT_ROLES_CHANGED:
		m->roles = ev->roles;
		break;
	case EVENT_ELIGIBILITY_CHANGED:
		m->eligible = ev->eligible;
		break;
	default:
		break;
	}
	return (0);
}

/**
 * audit_append(a, leaf, len, ev, err, errcap):
 * Check the next entry, whose leaf input is the ${len} bytes at ${leaf}:
 * it must decode strictly as an event (written to ${ev}) that follows the
 * directory's rules; then add it to the tree and the timeline.  Return 0,
 * or -1 with a message in ${err} (naming the entry's index), ${a} then
 * unchanged.  The rules: an organisation or member is created once; a
 * member's organisation exists; every other event names a known member;
 * enrollment is of a pending member at epoch 1; a rotation is of an active
 * member to the next epoch; suspension is of a member not suspended;
 * reinstatement is of a suspended member (who becomes active, or pending
 * if never enrolled).
 */
int
audit_append(struct audit *a, const uint8_t *leaf, size_t len, struct event *ev,
    char *err, size_t errcap)
{
	struct merkle_node nodes[MERKLE_APPEND_MAX];
	uint8_t lh[MERKLE_HASH_BYTES];
	struct merkle_source src;
	char why[AUDIT_ERR_MAX];
	size_t n, i;

	if (a->size >= MERKLE_MAX_SIZE) {
		(void)snprintf(err, errcap, "the log is full");
		return (-1);
	}
	if (event_decode(ev, leaf, len) != 0) {
		(void)snprintf(err, errcap,
		    "entry %llu is not a well-formed event",
		    (unsigned long long)a->size);
		return (-1);
	}
	if (rule_broken(a, ev, why, sizeof(why)) != NULL) {
		(void)snprintf(err, errcap, "entry %llu (%s): %s",
		    (unsigned long long)a->size, event_type_name(ev->type),
		    why);
		return (-1);
	}
	src.node = edge_node;
	src.ctx = a;
	if (merkle_leaf_hash(lh, leaf, len) != 0 ||
	    merkle_append_nodes(&src, a->size, lh, nodes, &n) != 0) {
		(void)snprintf(err, errcap,
		    "entry %llu: the audit state's tree is inconsistent",
		    (unsigned long long)a->size);
		return (-1);
	}
	if (apply(a, ev) != 0) {
		(void)snprintf(err, errcap,
		    "entry %llu: out of memory, or more than %zu members or "
		    "organisations",
		    (unsigned long long)a->size, (size_t)AUDIT_MEMBERS_MAX);
		return (-1);
	}
	for (i = 0; i < n; i++)
		memcpy(
		    a->edge[nodes[i].level], nodes[i].hash, MERKLE_HASH_BYTES);
	a->size++;
	a->counts[ev->type]++;
	return (0);
}

/**
 * audit_count(a, type):
 * Return the number of events of ${type} ${a} has checked.
 */
uint64_t
audit_count(const struct audit *a, uint16_t type)
{

	return (type < TYPES_MAX ? a->counts[type] : 0);
}

/**
 * audit_census(a, census):
 * Count ${a}'s organisations and its members by status into ${census}.
 */
void
audit_census(const struct audit *a, struct audit_census *census)
{
	const struct slot *s;
	size_t i;

	memset(census, 0, sizeof(*census));
	census->orgs = a->orgs.n;
	census->members = a->members.n;
	for (i = 0; i < a->members.cap; i++) {
		s = &a->members.slots[i];
		if (s->key[0] == '\0')
			continue;
		if (s->status == AUDIT_PENDING)
			census->pending++;
		else if (s->status == AUDIT_ACTIVE)
			census->active++;
		else
			census->suspended++;
	}
}

/* Append the base64url of ${hash} to ${arr}; 0 or -1. */
static int
append_hash(json_t *arr, const uint8_t hash[MERKLE_HASH_BYTES])
{
	char s[B64_ENCODED_LEN(MERKLE_HASH_BYTES)];

	if (b64_encode(s, sizeof(s), hash, MERKLE_HASH_BYTES) != 0)
		return (-1);
	return (json_array_append_new(arr, json_string(s)));
}

/* The JSON of member ${m}, or NULL. */
static json_t *
member_json(const struct slot *m)
{

	return (json_pack("{s:s,s:I,s:b,s:s,s:I}", "org", m->org, "roles",
	    (json_int_t)m->roles, "eligible", m->eligible, "status",
	    status_names[m->status], "epoch", (json_int_t)m->epoch));
}

/**
 * audit_json(a):
 * Return ${a} as a JSON object that audit_from_json() reads back, or NULL
 * if out of memory.
 */
json_t *
audit_json(const struct audit *a)
{
	json_t *o, *edge, *counts, *orgs, *members;
	const char *name;
	unsigned int k;
	size_t i;

	if ((o = json_object()) == NULL)
		return (NULL);
	if (json_object_set_new(o, "size", json_integer((json_int_t)a->size)) !=
		0 ||
	    json_object_set_new(o, "edge", edge = json_array()) != 0 ||
	    json_object_set_new(o, "counts", counts = json_object()) != 0 ||
	    json_object_set_new(o, "orgs", orgs = json_array()) != 0 ||
	    json_object_set_new(o, "members", members = json_object()) != 0)
		goto err0;
	/* The edge from the highest level down: the order of the root. */
	for (k = MERKLE_MAX_LEVELS; k-- > 0;)
		if (((a->size >> k) & 1) && append_hash(edge, a->edge[k]) != 0)
			goto err0;
	for (i = 0; i < TYPES_MAX; i++) {
		if ((name = event_type_name((uint16_t)i)) == NULL)
			continue;
		if (json_object_set_new(counts, name,
			json_integer((json_int_t)a->counts[i])) != 0)
			goto err0;
	}
	for (i = 0; i < a->orgs.cap; i++)
		if (a->orgs.slots[i].key[0] != '\0' &&
		    json_array_append_new(
			orgs, json_string(a->orgs.slots[i].key)) != 0)
			goto err0;
	for (i = 0; i < a->members.cap; i++)
		if (a->members.slots[i].key[0] != '\0' &&
		    json_object_set_new(members, a->members.slots[i].key,
			member_json(&a->members.slots[i])) != 0)
			goto err0;
	return (o);

err0:
	json_decref(o);
	return (NULL);
}

/* Read the edge array ${edge} for ${a}->size into ${a}; 0 or -1. */
static int
edge_from_json(struct audit *a, const json_t *edge)
{
	const char *s;
	unsigned int k;
	size_t i = 0;

	if (!json_is_array(edge))
		return (-1);
	for (k = MERKLE_MAX_LEVELS; k-- > 0;) {
		if (((a->size >> k) & 1) == 0)
			continue;
		if ((s = json_string_value(json_array_get(edge, i++))) ==
			NULL ||
		    b64_decode_exact(a->edge[k], MERKLE_HASH_BYTES, s) != 0)
			return (-1);
	}
	return (i == json_array_size(edge) ? 0 : -1);
}

/* Read member ${id} = ${o} into ${a}; 0 or -1. */
static int
member_from_json(struct audit *a, const char *id, const json_t *o)
{
	const char *org, *status;
	struct slot *m;
	json_int_t roles, epoch;
	json_t *elig;
	size_t st;

	org = json_string_value(json_object_get(o, "org"));
	status = json_string_value(json_object_get(o, "status"));
	elig = json_object_get(o, "eligible");
	if (!directory_member_id_valid(id) || org == NULL ||
	    table_find(a, &a->orgs, org) == NULL || status == NULL ||
	    !json_is_boolean(elig) ||
	    !json_is_integer(json_object_get(o, "roles")) ||
	    !json_is_integer(json_object_get(o, "epoch")) ||
	    table_find(a, &a->members, id) != NULL)
		return (-1);
	roles = json_integer_value(json_object_get(o, "roles"));
	epoch = json_integer_value(json_object_get(o, "epoch"));
	if (roles < 0 || roles > (json_int_t)UINT32_MAX ||
	    !directory_roles_valid((unsigned int)roles) || epoch < 0 ||
	    epoch > (json_int_t)UINT32_MAX)
		return (-1);
	for (st = 0; st < 3; st++)
		if (strcmp(status, status_names[st]) == 0)
			break;
	/* Active members have enrolled; pending ones have not. */
	if (st == 3 || (st == AUDIT_ACTIVE && epoch == 0) ||
	    (st == AUDIT_PENDING && epoch != 0))
		return (-1);
	if ((m = table_insert(a, &a->members, id)) == NULL)
		return (-1);
	memcpy(m->org, org, strlen(org) + 1);
	m->roles = (uint32_t)roles;
	m->epoch = (uint32_t)epoch;
	m->eligible = json_is_true(elig) ? 1 : 0;
	m->status = (uint8_t)st;
	return (0);
}

/**
 * audit_from_json(obj, err, errcap):
 * Return the state saved as ${obj} by audit_json(), or NULL with a message
 * in ${err} if it is malformed or breaks the timeline's invariants.  The
 * caller checks audit_root() against the signed head it saved with it.
 */
struct audit *
audit_from_json(const json_t *obj, char *err, size_t errcap)
{
	struct audit *a;
	json_t *counts, *v, *m;
	const char *key, *name;
	uint64_t total = 0;
	json_int_t size;
	size_t i;

	if ((a = audit_new()) == NULL) {
		(void)snprintf(err, errcap, "out of memory");
		return (NULL);
	}
	v = json_object_get(obj, "size");
	if (!json_is_integer(v) || (size = json_integer_value(v)) < 0 ||
	    (uint64_t)size > MERKLE_MAX_SIZE)
		goto bad;
	a->size = (uint64_t)size;
	if (edge_from_json(a, json_object_get(obj, "edge")) != 0)
		goto bad;

	/* Counts of every type, and nothing else, adding up to the size. */
	counts = json_object_get(obj, "counts");
	if (!json_is_object(counts))
		goto bad;
	json_object_foreach(counts, key, v)
	{
		for (i = 0; i < TYPES_MAX; i++)
			if ((name = event_type_name((uint16_t)i)) != NULL &&
			    strcmp(name, key) == 0)
				break;
		if (i == TYPES_MAX || !json_is_integer(v) ||
		    json_integer_value(v) < 0)
			goto bad;
		a->counts[i] = (uint64_t)json_integer_value(v);
		if (a->counts[i] > a->size - total)
			goto bad;
		total += a->counts[i];
	}
	if (total != a->size)
		goto bad;

	v = json_object_get(obj, "orgs");
	if (!json_is_array(v))
		goto bad;
	for (i = 0; i < json_array_size(v); i++) {
		key = json_string_value(json_array_get(v, i));
		if (key == NULL || !directory_org_id_valid(key) ||
		    table_find(a, &a->orgs, key) != NULL ||
		    table_insert(a, &a->orgs, key) == NULL)
			goto bad;
	}
	v = json_object_get(obj, "members");
	if (!json_is_object(v))
		goto bad;
	json_object_foreach(v, key, m)
	{
		if (member_from_json(a, key, m) != 0)
			goto bad;
	}
	/* One creation event per organisation and per member. */
	if (a->orgs.n != a->counts[EVENT_ORG_CREATED] ||
	    a->members.n != a->counts[EVENT_MEMBER_CREATED])
		goto bad;
	return (a);

bad:
	(void)snprintf(err, errcap, "the saved audit state is malformed");
	audit_free(a);
	return (NULL);
}

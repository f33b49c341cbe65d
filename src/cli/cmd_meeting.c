#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "args.h"
#include "cli.h"
#include "cmd_meeting.h"
#include "cmd_memo.h"
#include "directory.h"
#include "memo.h"
#include "memowire.h"
#include "output.h"
#include "zonetime.h"

#define PATH_CAP 256

/* Largest meeting id accepted. */
#define MEETING_ID_MAX ((uint64_t)1 << 53)

/* Report that we are out of memory. */
static int
nomem(struct cli *c)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
}

/* The integer ${key} of ${obj}, or 0. */
static int64_t
int_of(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return (json_is_integer(v) ? (int64_t)json_integer_value(v) : 0);
}

/* Print the Meeting object ${m} as labelled lines. */
static void
print_meeting(struct cli *c, const json_t *m)
{
	char line[32], when[ZONETIME_ZONED_LEN];
	struct zonetime *zt;

	(void)snprintf(line, sizeof(line), "%lld", (long long)int_of(m, "id"));
	output_field(&c->out, "Meeting", line);
	output_field(
	    &c->out, "Memo", json_string_value(json_object_get(m, "memo")));
	output_field(&c->out, "Principal",
	    json_string_value(json_object_get(m, "principal")));
	output_field(&c->out, "Requested by",
	    json_string_value(json_object_get(m, "requested_by")));
	output_field(
	    &c->out, "State", json_string_value(json_object_get(m, "state")));
	if (int_of(m, "scheduled_at") > 0 && !c->out.json) {
		/* Without the zone (reported), the time is UTC and says so. */
		zt = zonetime_new(c->inst.raw);
		zonetime_format_zoned(zt, int_of(m, "scheduled_at"), when);
		zonetime_free(zt);
		output_field(&c->out, "Scheduled", when);
	}
}

/* `dissent meeting request ID --principal MEMBER` */
static int
meeting_request(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *principal = NULL;
	const struct args_spec spec[] = {
	    {"--principal", ARGS_STRING, &principal},
	};
	char mid[DIRECTORY_MEMBER_ID_LEN + 1], path[PATH_CAP];
	json_t *req = NULL, *body = NULL;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if (principal == NULL)
		return (cli_usage(c, "--principal is required"));
	if ((rc = cli_member_ref(c, principal)) != CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_member_id(c, principal, mid)) != CLI_PROCEED)
		return (rc);
	if ((req = json_pack("{s:s}", "principal", mid)) == NULL)
		return (nomem(c));
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/meetings", pos[0]);
	if ((rc = cmd_memo_call(c, "POST", path, req, &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out, "Meeting requested.\n");
	print_meeting(c, json_object_get(body, "meeting"));
	rc = cli_emit(c, body);
done:
	json_decref(body);
	json_decref(req);
	return (rc);
}

/* `dissent meeting list` */
static int
meeting_list(struct cli *c, int argc, char **argv)
{
	char mb[32], pb[32], sb[16], when[ZONETIME_LEN];
	struct zonetime *zt = NULL;
	json_t *body, *arr, *m;
	size_t npos, i;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", "/api/v1/meetings", NULL, 200, &body)) !=
		CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "meetings");
	/* Without the zone (reported), the times are UTC and say so. */
	if (!c->out.json && json_array_size(arr) > 0)
		zt = zonetime_new(c->inst.raw);
	if (json_array_size(arr) == 0)
		output_text(&c->out, "No meetings.\n");
	else
		output_text(&c->out, "%-6s %-26s %-26s %-10s SCHEDULED (%s)\n",
		    "ID", "MEMO", "PRINCIPAL", "STATE", zonetime_zone(zt));
	json_array_foreach(arr, i, m)
	{
		if (int_of(m, "scheduled_at") > 0)
			zonetime_format(zt, int_of(m, "scheduled_at"), when);
		else
			(void)snprintf(when, sizeof(when), "-");
		output_text(&c->out, "%-6lld %-26s %-26s %-10s %s\n",
		    (long long)int_of(m, "id"),
		    output_clean(mb, sizeof(mb),
			json_string_value(json_object_get(m, "memo"))),
		    output_clean(pb, sizeof(pb),
			json_string_value(json_object_get(m, "principal"))),
		    output_clean(sb, sizeof(sb),
			json_string_value(json_object_get(m, "state"))),
		    when);
	}
	zonetime_free(zt);
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* Parse the meeting id ${s}. */
static int
meeting_id(struct cli *c, const char *s, uint64_t *id)
{

	if (args_u64(s, id) != 0 || *id == 0 || *id > MEETING_ID_MAX)
		return (cli_usage(c, "\"%.32s\" is not a meeting id", s));
	return (CLI_PROCEED);
}

/*
 * Parse "YYYY-MM-DD HH:MM" in the instance's time zone (GET /instance
 * "time_zone", UTC if it names none) into the Unix time ${t}, and the
 * zone's name into ${zone}.
 */
static int
parse_at(struct cli *c, const char *s, int64_t *t, char zone[CALENDAR_TZ_MAX])
{
	struct zonetime *zt;
	int r;

	if ((zt = zonetime_new(c->inst.raw)) == NULL)
		return (cli_fail(c, CLI_EXIT_ERROR, "calendar",
		    "cannot read the instance's time zone (is tzdata "
		    "installed?): --at cannot be interpreted"));
	(void)snprintf(zone, CALENDAR_TZ_MAX, "%s", zonetime_zone(zt));
	r = zonetime_parse(zt, s, t);
	zonetime_free(zt);
	if (r != 0)
		return (cli_usage(c,
		    "--at takes \"YYYY-MM-DD HH:MM\", a time that exists "
		    "in %s",
		    zone));
	return (CLI_PROCEED);
}

/* `dissent meeting schedule MID --at "YYYY-MM-DD HH:MM"` */
static int
meeting_schedule(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *at = NULL;
	const struct args_spec spec[] = {
	    {"--at", ARGS_STRING, &at},
	};
	char path[PATH_CAP], zone[CALENDAR_TZ_MAX], when[OUTPUT_TIME_LEN];
	json_t *req = NULL, *body = NULL;
	uint64_t id;
	int64_t t = 0;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = meeting_id(c, pos[0], &id)) != CLI_PROCEED)
		return (rc);
	if (at == NULL)
		return (cli_usage(c, "--at \"YYYY-MM-DD HH:MM\" is required"));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = parse_at(c, at, &t, zone)) != CLI_PROCEED)
		return (rc);
	if ((req = json_pack("{s:I}", "at", (json_int_t)t)) == NULL)
		return (nomem(c));
	(void)snprintf(path, sizeof(path), "/api/v1/meetings/%llu/schedule",
	    (unsigned long long)id);
	if ((rc = cmd_memo_call(c, "POST", path, req, &body)) != CLI_PROCEED)
		goto done;
	output_time(when, t);
	output_text(&c->out, "Meeting %llu scheduled for %s %s (%s).\n",
	    (unsigned long long)id, at, zone, when);
	rc = cli_emit(c, body);
done:
	json_decref(body);
	json_decref(req);
	return (rc);
}

/* Find the memo of meeting ${id} in GET /meetings, into ${memo}. */
static int
meeting_memo(struct cli *c, uint64_t id, char memo[MEMO_ID_LEN + 1])
{
	json_t *body, *m;
	const char *s;
	size_t i;
	int rc;

	if ((rc = cli_call(c, "GET", "/api/v1/meetings", NULL, 200, &body)) !=
	    CLI_PROCEED)
		return (rc);
	json_array_foreach(json_object_get(body, "meetings"), i, m)
	{
		if (int_of(m, "id") != (int64_t)id)
			continue;
		s = json_string_value(json_object_get(m, "memo"));
		if (s == NULL || !memo_id_valid(s))
			break;
		memcpy(memo, s, MEMO_ID_LEN + 1);
		json_decref(body);
		return (CLI_PROCEED);
	}
	json_decref(body);
	return (cli_fail(c, CLI_EXIT_NOTFOUND, "not_found",
	    "you have no meeting %llu", (unsigned long long)id));
}

/* `dissent meeting outcome MID --held|--declined [--note-file FILE]` */
static int
meeting_outcome(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *file = NULL;
	int held = 0, declined = 0, rc;
	const struct args_spec spec[] = {
	    {"--held", ARGS_FLAG, &held},
	    {"--declined", ARGS_FLAG, &declined},
	    {"--note-file", ARGS_STRING, &file},
	};
	char path[PATH_CAP], memo[MEMO_ID_LEN + 1], *text = NULL;
	struct memowire_keys k;
	uint8_t *box = NULL;
	json_t *req = NULL, *body = NULL;
	size_t npos, boxlen = 0;
	uint64_t id;
	uint32_t n;

	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, spec, 3, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = meeting_id(c, pos[0], &id)) != CLI_PROCEED)
		return (rc);
	if (held == declined)
		return (cli_usage(c, "give --held or --declined"));
	if (held && file == NULL)
		return (cli_usage(c, "--held needs --note-file: the outcome's "
				     "note"));
	if (file != NULL && (rc = cmd_memo_read_text(c, file, MEMO_REPLY_MAX,
				 "--note-file", &text)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (req = json_pack("{s:b}", "held", held)) == NULL) {
		if (rc == CLI_PROCEED)
			rc = nomem(c);
		goto done;
	}
	if (text != NULL) {
		if ((rc = meeting_memo(c, id, memo)) != CLI_PROCEED ||
		    (rc = cmd_memo_keys(c, memo, &k)) != CLI_PROCEED ||
		    (rc = cmd_memo_next_n(c, memo, &n)) != CLI_PROCEED)
			goto done;
		if (memo_reply_seal(&box, &boxlen, text, memo,
			MEMO_REPLY_KIND_OUTCOME, n, k.key) != 0) {
			rc = cli_usage(c,
			    "the note is refused: it must be "
			    "UTF-8, at most %u bytes",
			    (unsigned)MEMO_REPLY_MAX);
			goto done;
		}
		memowire_keys_wipe(&k);
		if (json_object_set_new(
			req, "n", json_integer((json_int_t)n)) != 0 ||
		    json_object_set_new(
			req, "box", memowire_b64(box, boxlen)) != 0) {
			rc = nomem(c);
			goto done;
		}
	}
	(void)snprintf(path, sizeof(path), "/api/v1/meetings/%llu/outcome",
	    (unsigned long long)id);
	if ((rc = cmd_memo_call(c, "POST", path, req, &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out, "Meeting %llu recorded as %s.\n",
	    (unsigned long long)id, held ? "held" : "declined");
	rc = cli_emit(c, body);
done:
	memowire_keys_wipe(&k);
	cmd_memo_text_free(text);
	free(box);
	json_decref(body);
	json_decref(req);
	return (rc);
}

static const struct cli_command commands[] = {
    {"request", meeting_request, "ID --principal ID|HANDLE",
	"Ask a principal the memo went to for a meeting (drafters).", NULL},
    {"list", meeting_list, "", "Your meetings (coordinators: all).", NULL},
    {"schedule", meeting_schedule, "MID --at \"YYYY-MM-DD HH:MM\"",
	"Schedule a meeting (the principal or a coordinator).",
	"  --at TIME   in the instance's time zone\n"},
    {"outcome", meeting_outcome, "MID --held|--declined [--note-file FILE]",
	"Record whether the meeting was held, with a note.",
	"  --held | --declined   what happened\n"
	"  --note-file FILE      the note (required with --held; encrypted "
	"with the\n"
	"                        memo key)\n"},
};

const struct cli_noun cmd_meeting_noun = {"meeting",
    "Meetings between drafters and principals.", commands,
    sizeof(commands) / sizeof(commands[0])};

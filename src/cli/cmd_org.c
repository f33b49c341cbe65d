#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "cli.h"
#include "cmd_org.h"
#include "directory.h"
#include "output.h"

/* `dissent org create ID NAME` */
static int
org_create(struct cli *c, int argc, char **argv)
{
	const char *pos[2];
	json_t *req, *body;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 2, 2, &npos)) !=
	    CLI_PROCEED)
		return (rc);
	if (!directory_org_id_valid(pos[0]))
		return (cli_usage(c,
		    "an organisation id is 1-%d of a-z 0-9 "
		    "-, starting with a letter",
		    DIRECTORY_ORG_ID_MAX));
	if (!directory_name_valid(pos[1], DIRECTORY_ORG_NAME_MAX))
		return (cli_usage(c,
		    "an organisation name is 1-%d bytes of "
		    "UTF-8 without control characters or surrounding spaces",
		    DIRECTORY_ORG_NAME_MAX));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if ((req = json_pack("{s:s,s:s}", "id", pos[0], "name", pos[1])) ==
	    NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = cli_call(c, "POST", "/api/v1/orgs", req, 201, &body);
	json_decref(req);
	if (rc != CLI_PROCEED)
		return (rc);
	output_text(&c->out, "Created organisation %s.\n", pos[0]);
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent org list` */
static int
org_list(struct cli *c, int argc, char **argv)
{
	char id[40], name[DIRECTORY_ORG_NAME_MAX * 2], when[OUTPUT_TIME_LEN];
	json_t *body, *o, *t;
	size_t npos, i;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
	    CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", "/api/v1/orgs", NULL, 200, &body)) !=
		CLI_PROCEED)
		return (rc);
	output_text(&c->out, "%-16s %-24s %s\n", "ID", "CREATED", "NAME");
	json_array_foreach(json_object_get(body, "orgs"), i, o)
	{
		t = json_object_get(o, "created_at");
		output_time(when,
		    json_is_integer(t) ? (int64_t)json_integer_value(t) : 0);
		output_text(&c->out, "%-16s %-24s %s\n",
		    output_clean(id, sizeof(id),
			json_string_value(json_object_get(o, "id"))),
		    when,
		    output_clean(name, sizeof(name),
			json_string_value(json_object_get(o, "name"))));
	}
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

static const struct cli_command commands[] = {
    {"create", org_create, "ID NAME", "Create an organisation (admin).",
	"  ID     1-32 of a-z 0-9 -, starting with a letter (e.g. usaid)\n"
	"  NAME   its full name\n"},
    {"list", org_list, "", "List the organisations.", NULL},
};

const struct cli_noun cmd_org_noun = {"org",
    "Organisations (agencies) in the directory.", commands,
    sizeof(commands) / sizeof(commands[0])};

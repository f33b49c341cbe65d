#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "args.h"
#include "cli.h"
#include "cmd_member.h"
#include "directory.h"
#include "output.h"

/* Room for a request path with a member reference and a query. */
#define PATH_CAP 256
/* Most roles in a --roles list (each known role once). */
#define ROLES_MAX 6
/* Longest role list line printed. */
#define ROLES_TEXT_MAX 128

/**
 * cmd_member_roles(member, out, cap):
 * Write the roles of ${member} comma-separated into ${out} ("-" if none).
 */
void
cmd_member_roles(const json_t *member, char *out, size_t cap)
{
	json_t *roles = json_object_get(member, "roles"), *r;
	size_t i, n = 0;
	int w;

	if (cap == 0)
		return;
	out[0] = '\0';
	json_array_foreach(roles, i, r)
	{
		if (!json_is_string(r))
			continue;
		w = snprintf(out + n, cap - n, "%s%s", n > 0 ? "," : "",
		    json_string_value(r));
		if (w < 0 || (size_t)w >= cap - n) {
			out[n] = '\0';
			break;
		}
		n += (size_t)w;
	}
	if (n == 0)
		(void)snprintf(out, cap, "-");
}

/**
 * cmd_member_print(c, member):
 * In human mode print the Member object ${member} as labelled lines.
 */
void
cmd_member_print(struct cli *c, const json_t *member)
{
	char roles[ROLES_TEXT_MAX], when[OUTPUT_TIME_LEN], epoch[24];
	json_t *keys = json_object_get(member, "keys"), *v;

	if (c->out.json)
		return;
	cmd_member_roles(member, roles, sizeof(roles));
	output_field(&c->out, "Handle",
	    json_string_value(json_object_get(member, "handle")));
	output_field(&c->out, "Name",
	    json_string_value(json_object_get(member, "display_name")));
	output_field(
	    &c->out, "Id", json_string_value(json_object_get(member, "id")));
	output_field(&c->out, "Organisation",
	    json_string_value(json_object_get(member, "org")));
	output_field(&c->out, "Roles", roles);
	v = json_object_get(member, "eligible");
	output_field(&c->out, "Eligible", json_is_true(v) ? "yes" : "no");
	output_field(&c->out, "Status",
	    json_string_value(json_object_get(member, "status")));
	v = json_object_get(member, "created_at");
	if (json_is_integer(v)) {
		output_time(when, (int64_t)json_integer_value(v));
		output_field(&c->out, "Created", when);
	}
	if (json_is_object(keys)) {
		(void)snprintf(epoch, sizeof(epoch), "%lld",
		    (long long)json_integer_value(
			json_object_get(keys, "epoch")));
		output_field(&c->out, "Key epoch", epoch);
		output_field(&c->out, "Fingerprint",
		    json_string_value(json_object_get(keys, "fingerprint")));
	} else {
		output_field(&c->out, "Keys", "none (not enrolled)");
	}
}

/*
 * Parse the comma-separated role names ${list} into a new JSON array in
 * ${out}.  Unknown names are a usage error; which combinations are allowed
 * is the server's decision.
 */
static int
parse_roles(struct cli *c, const char *list, json_t **out)
{
	char name[32];
	const char *p = list, *end;
	json_t *arr;
	size_t len, n = 0;

	if ((arr = json_array()) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 0 || len >= sizeof(name) || ++n > ROLES_MAX)
			goto bad;
		memcpy(name, p, len);
		name[len] = '\0';
		if (directory_role_parse(name) == 0)
			goto bad;
		if (json_array_append_new(arr, json_string(name)) != 0) {
			json_decref(arr);
			return (cli_fail(
			    c, CLI_EXIT_ERROR, "internal", "out of memory"));
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*out = arr;
	return (CLI_PROCEED);

bad:
	json_decref(arr);
	return (cli_usage(c,
	    "--roles takes a comma-separated list of "
	    "member, coordinator, director, principal, auditor, admin"));
}

/* Print an enrollment code (or where it went) and its expiry. */
static void
print_code(struct cli *c, const json_t *body, const char *code_file)
{
	char when[OUTPUT_TIME_LEN];
	json_t *exp = json_object_get(body, "expires_at");

	output_time(
	    when, json_is_integer(exp) ? (int64_t)json_integer_value(exp) : 0);
	if (code_file != NULL)
		output_field(&c->out, "Code file", code_file);
	else
		output_field(&c->out, "Enrollment code",
		    json_string_value(
			json_object_get(body, "enrollment_code")));
	output_field(&c->out, "Expires", when);
	output_note(&c->out,
	    "Give the enrollment code to the member through "
	    "a trusted channel; it is shown only this once.\n");
}

/*
 * Finish a reply carrying an enrollment code: write the code to the file
 * ${fd} of ${path} if one was given (and take it out of the JSON result),
 * then print.
 */
static int
finish_code(struct cli *c, json_t *body, const char *path, int fd)
{
	const char *code;
	int rc;

	code = json_string_value(json_object_get(body, "enrollment_code"));
	if (code == NULL) {
		home_secret_file_abandon(fd, path);
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the server did not return an enrollment code"));
	}
	if (path != NULL) {
		if ((rc = cli_secret_file_write(c, path, fd, code)) !=
		    CLI_PROCEED)
			return (rc);
		if (json_object_del(body, "enrollment_code") != 0 ||
		    json_object_set_new(body, "code_file", json_string(path)) !=
			0)
			return (cli_fail(
			    c, CLI_EXIT_ERROR, "internal", "out of memory"));
	}
	print_code(c, body, path);
	return (cli_emit(c, body));
}

/* `dissent member create` */
static int
member_create(struct cli *c, int argc, char **argv)
{
	const char *handle = NULL, *name = NULL, *org = NULL, *roles = NULL;
	const char *code_file = NULL;
	int ineligible = 0, fd = -1, rc;
	const struct args_spec spec[] = {
	    {"--handle", ARGS_STRING, &handle},
	    {"--name", ARGS_STRING, &name},
	    {"--org", ARGS_STRING, &org},
	    {"--roles", ARGS_STRING, &roles},
	    {"--ineligible", ARGS_FLAG, &ineligible},
	    {"--code-file", ARGS_STRING, &code_file},
	};
	json_t *req = NULL, *arr = NULL, *body = NULL;
	size_t npos;

	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if (handle == NULL || name == NULL || org == NULL)
		return (cli_usage(c, "--handle, --name and --org are "
				     "required"));
	if (!directory_handle_valid(handle))
		return (cli_usage(c,
		    "--handle: 1-%d of a-z 0-9 . @ -, "
		    "starting with a letter or digit",
		    DIRECTORY_HANDLE_MAX));
	if (!directory_name_valid(name, DIRECTORY_DISPLAY_NAME_MAX))
		return (cli_usage(c,
		    "--name: 1-%d bytes of UTF-8 without "
		    "control characters or surrounding spaces",
		    DIRECTORY_DISPLAY_NAME_MAX));
	if (!directory_org_id_valid(org))
		return (cli_usage(c, "--org: not an organisation id"));
	if ((rc = parse_roles(c, roles != NULL ? roles : "member", &arr)) !=
	    CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		goto done;
	if ((req = json_pack("{s:s,s:s,s:s,s:O,s:b}", "handle", handle,
		 "display_name", name, "org", org, "roles", arr, "eligible",
		 !ineligible)) == NULL) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
		goto done;
	}
	if ((rc = cli_secret_file_open(c, code_file, &fd)) != CLI_PROCEED)
		goto done;
	if ((rc = cli_call(c, "POST", "/api/v1/members", req, 201, &body)) !=
	    CLI_PROCEED) {
		home_secret_file_abandon(fd, code_file);
		goto done;
	}
	output_text(&c->out, "Created %s, pending enrollment.\n", handle);
	cmd_member_print(c, json_object_get(body, "member"));
	rc = finish_code(c, body, code_file, fd);
done:
	json_decref(body);
	json_decref(req);
	json_decref(arr);
	return (rc);
}

/* `dissent member list` */
static int
member_list(struct cli *c, int argc, char **argv)
{
	const char *org = NULL;
	uint64_t offset = UINT64_MAX, limit = UINT64_MAX;
	const struct args_spec spec[] = {
	    {"--org", ARGS_STRING, &org},
	    {"--offset", ARGS_U64, &offset},
	    {"--limit", ARGS_U64, &limit},
	};
	char path[PATH_CAP], roles[ROLES_TEXT_MAX], sep = '?';
	char h[72], n[136], o[40], r[ROLES_TEXT_MAX], st[16];
	json_t *body, *members, *m;
	size_t npos, i, len;
	int rc, w;

	/* UINT64_MAX: not given, the server's default applies. */
	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if (org != NULL && !directory_org_id_valid(org))
		return (cli_usage(c, "--org: not an organisation id"));
	if ((offset != UINT64_MAX && offset > 1000000000) ||
	    (limit != UINT64_MAX && (limit < 1 || limit > 500)))
		return (cli_usage(c, "--offset is 0-1000000000 and --limit "
				     "1-500"));
	len = (size_t)snprintf(path, sizeof(path), "/api/v1/members");
	if (org != NULL) {
		w = snprintf(
		    path + len, sizeof(path) - len, "%corg=%s", sep, org);
		len += (size_t)w;
		sep = '&';
	}
	if (offset != UINT64_MAX) {
		w = snprintf(path + len, sizeof(path) - len, "%coffset=%llu",
		    sep, (unsigned long long)offset);
		len += (size_t)w;
		sep = '&';
	}
	if (limit != UINT64_MAX)
		(void)snprintf(path + len, sizeof(path) - len, "%climit=%llu",
		    sep, (unsigned long long)limit);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	members = json_object_get(body, "members");
	if (!c->out.json) {
		output_text(&c->out, "%-20s %-28s %-10s %-24s %-9s %s\n",
		    "HANDLE", "NAME", "ORG", "ROLES", "STATUS", "ELIGIBLE");
		json_array_foreach(members, i, m)
		{
			cmd_member_roles(m, roles, sizeof(roles));
			output_text(&c->out,
			    "%-20s %-28s %-10s %-24s %-9s "
			    "%s\n",
			    output_clean(h, sizeof(h),
				json_string_value(
				    json_object_get(m, "handle"))),
			    output_clean(n, sizeof(n),
				json_string_value(
				    json_object_get(m, "display_name"))),
			    output_clean(o, sizeof(o),
				json_string_value(json_object_get(m, "org"))),
			    output_clean(r, sizeof(r), roles),
			    output_clean(st, sizeof(st),
				json_string_value(
				    json_object_get(m, "status"))),
			    json_is_true(json_object_get(m, "eligible"))
				? "yes"
				: "no");
		}
		output_text(&c->out, "%zu of %lld members (offset %llu)\n",
		    json_array_size(members),
		    (long long)json_integer_value(
			json_object_get(body, "total")),
		    (unsigned long long)(offset != UINT64_MAX ? offset : 0));
	}
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent member show REF` */
static int
member_show(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	char path[PATH_CAP];
	json_t *body;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_member_ref(c, pos[0])) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path), "/api/v1/members/%s", pos[0]);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	cmd_member_print(c, json_object_get(body, "member"));
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent member update REF [--roles R] [--eligible yes|no] [--name N]` */
static int
member_update(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *roles = NULL, *eligible = NULL, *name = NULL;
	const struct args_spec spec[] = {
	    {"--roles", ARGS_STRING, &roles},
	    {"--eligible", ARGS_STRING, &eligible},
	    {"--name", ARGS_STRING, &name},
	};
	char path[PATH_CAP];
	json_t *req = NULL, *arr = NULL, *body = NULL;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 pos, 1, 1, &npos)) != CLI_PROCEED ||
	    (rc = cli_member_ref(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if (roles == NULL && eligible == NULL && name == NULL)
		return (cli_usage(c, "give at least one of --roles, "
				     "--eligible, --name"));
	if (eligible != NULL && strcmp(eligible, "yes") != 0 &&
	    strcmp(eligible, "no") != 0)
		return (cli_usage(c, "--eligible takes yes or no"));
	if (name != NULL &&
	    !directory_name_valid(name, DIRECTORY_DISPLAY_NAME_MAX))
		return (cli_usage(c,
		    "--name: 1-%d bytes of UTF-8 without "
		    "control characters or surrounding spaces",
		    DIRECTORY_DISPLAY_NAME_MAX));
	if ((req = json_object()) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	if (roles != NULL) {
		if ((rc = parse_roles(c, roles, &arr)) != CLI_PROCEED)
			goto done;
		if (json_object_set(req, "roles", arr) != 0)
			goto nomem;
	}
	if (eligible != NULL &&
	    json_object_set_new(req, "eligible",
		json_boolean(strcmp(eligible, "yes") == 0)) != 0)
		goto nomem;
	if (name != NULL &&
	    json_object_set_new(req, "display_name", json_string(name)) != 0)
		goto nomem;
	(void)snprintf(path, sizeof(path), "/api/v1/members/%s", pos[0]);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "PATCH", path, req, 200, &body)) != CLI_PROCEED)
		goto done;
	cmd_member_print(c, json_object_get(body, "member"));
	rc = cli_emit(c, body);
	goto done;

nomem:
	rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
done:
	json_decref(body);
	json_decref(arr);
	json_decref(req);
	return (rc);
}

/* POST /api/v1/members/REF/${action} and print the member. */
static int
member_action(struct cli *c, int argc, char **argv, const char *action,
    const char *done_text)
{
	const char *pos[1];
	char path[PATH_CAP];
	json_t *body;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_member_ref(c, pos[0])) != CLI_PROCEED)
		return (rc);
	(void)snprintf(
	    path, sizeof(path), "/api/v1/members/%s/%s", pos[0], action);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "POST", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	output_text(&c->out, "%s\n", done_text);
	cmd_member_print(c, json_object_get(body, "member"));
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent member suspend REF` */
static int
member_suspend(struct cli *c, int argc, char **argv)
{

	return (member_action(c, argc, argv, "suspend",
	    "Suspended; the "
	    "member's sessions have ended."));
}

/* `dissent member reinstate REF` */
static int
member_reinstate(struct cli *c, int argc, char **argv)
{

	return (member_action(c, argc, argv, "reinstate", "Reinstated."));
}

/* `dissent member reissue REF [--code-file PATH]` */
static int
member_reissue(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *code_file = NULL;
	const struct args_spec spec[] = {
	    {"--code-file", ARGS_STRING, &code_file},
	};
	char path[PATH_CAP];
	json_t *body = NULL;
	size_t npos;
	int rc, fd = -1;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_member_ref(c, pos[0])) != CLI_PROCEED)
		return (rc);
	(void)snprintf(
	    path, sizeof(path), "/api/v1/members/%s/enrollment", pos[0]);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_secret_file_open(c, code_file, &fd)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_call(c, "POST", path, NULL, 200, &body)) != CLI_PROCEED) {
		home_secret_file_abandon(fd, code_file);
		return (rc);
	}
	output_text(&c->out,
	    "New enrollment code for %s; the old one no "
	    "longer works.\n",
	    pos[0]);
	rc = finish_code(c, body, code_file, fd);
	json_decref(body);
	return (rc);
}

static const struct cli_command commands[] = {
    {"create", member_create,
	"--handle H --name NAME --org ORG [--roles R,...] [--ineligible] "
	"[--code-file PATH]",
	"Create a pending member; show its code once (admin).",
	"  --handle H        the member's handle (a-z 0-9 . @ -)\n"
	"  --name NAME       display name\n"
	"  --org ORG         organisation id\n"
	"  --roles R,...     roles (default: member); e.g. "
	"member,coordinator;\n"
	"                    an admin account holds the admin role "
	"alone\n"
	"  --ineligible      the member may not co-sign (e.g. a "
	"contractor)\n"
	"  --code-file PATH  write the enrollment code to PATH (created, "
	"mode 0600,\n"
	"                    never overwritten) instead of printing it\n"},
    {"list", member_list, "[--org ORG] [--offset N] [--limit N]",
	"List members, ordered by handle.",
	"  --org ORG         only this organisation's members\n"
	"  --offset N        skip the first N (default 0)\n"
	"  --limit N         show at most N, 1-500 (default 100)\n"},
    {"show", member_show, "ID|HANDLE", "Show one member.", NULL},
    {"update", member_update,
	"ID|HANDLE [--roles R,...] [--eligible yes|no] [--name NAME]",
	"Change roles, eligibility or name (admin).",
	"  --roles R,...     the new role set\n"
	"  --eligible yes|no whether the member may co-sign\n"
	"  --name NAME       the new display name\n"},
    {"suspend", member_suspend, "ID|HANDLE",
	"Suspend a member, ending their sessions (admin).", NULL},
    {"reinstate", member_reinstate, "ID|HANDLE", "Lift a suspension (admin).",
	NULL},
    {"reissue", member_reissue, "ID|HANDLE [--code-file PATH]",
	"New enrollment code for a pending member (admin).",
	"  --code-file PATH  write the code to PATH (created, mode 0600) "
	"instead of\n"
	"                    printing it\n"},
};

const struct cli_noun cmd_member_noun = {"member", "The directory's members.",
    commands, sizeof(commands) / sizeof(commands[0])};

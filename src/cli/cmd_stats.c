#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "args.h"
#include "cli.h"
#include "cmd_stats.h"
#include "output.h"

#define PATH_CAP 128

/* A median in seconds as "3.5 d" (or "-"), into ${out}. */
static const char *
duration(char *out, size_t cap, const json_t *v)
{

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		(void)snprintf(out, cap, "-");
	else
		(void)snprintf(out, cap, "%.1f d",
		    (double)json_integer_value(v) / 86400.0);
	return (out);
}

/* A share 0..1 as "80%" (or "-"), into ${out}. */
static const char *
share(char *out, size_t cap, const json_t *v)
{

	if (!json_is_number(v) || json_number_value(v) < 0)
		(void)snprintf(out, cap, "-");
	else
		(void)snprintf(out, cap, "%.0f%%", json_number_value(v) * 100);
	return (out);
}

/* `dissent stats [--period month|quarter|year]` */
static int
stats_run(struct cli *c, int argc, char **argv)
{
	const char *period = "month";
	const struct args_spec spec[] = {
	    {"--period", ARGS_STRING, &period},
	};
	char path[PATH_CAP], pb[16], tb[40], a[16], b[16], d[16], e[16];
	json_t *body, *cell;
	size_t npos, i;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, 1, NULL, 0, 0, &npos)) !=
	    CLI_PROCEED)
		return (rc);
	if (strcmp(period, "month") != 0 && strcmp(period, "quarter") != 0 &&
	    strcmp(period, "year") != 0)
		return (cli_usage(c, "--period takes month, quarter or year"));
	(void)snprintf(path, sizeof(path), "/api/v1/stats?period=%s", period);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	output_text(&c->out, "%-8s %-12s %5s %5s %8s %7s %7s %8s %7s\n",
	    "PERIOD", "TOPIC", "MEMOS", "ACKED", "ACK MED", "ON TIME",
	    "REPLIED", "REPL MED", "ON TIME");
	json_array_foreach(json_object_get(body, "cells"), i, cell)
	{
		output_clean(pb, sizeof(pb),
		    json_string_value(json_object_get(cell, "period")));
		output_clean(tb, sizeof(tb),
		    json_string_value(json_object_get(cell, "topic")));
		if (tb[0] == '\0')
			(void)snprintf(tb, sizeof(tb), "(all)");
		if (json_is_true(json_object_get(cell, "suppressed"))) {
			output_text(&c->out,
			    "%-8s %-12s suppressed: fewer than %lld "
			    "authors\n",
			    pb, tb,
			    (long long)json_integer_value(
				json_object_get(body, "min_authors")));
			continue;
		}
		output_text(&c->out,
		    "%-8s %-12s %5lld %5lld %8s %7s %7lld %8s %7s\n", pb, tb,
		    (long long)json_integer_value(
			json_object_get(cell, "memos")),
		    (long long)json_integer_value(
			json_object_get(cell, "acknowledged")),
		    duration(a, sizeof(a),
			json_object_get(cell, "ack_median_seconds")),
		    share(b, sizeof(b), json_object_get(cell, "ack_on_time")),
		    (long long)json_integer_value(
			json_object_get(cell, "replied")),
		    duration(d, sizeof(d),
			json_object_get(cell, "reply_median_seconds")),
		    share(
			e, sizeof(e), json_object_get(cell, "reply_on_time")));
	}
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

static const struct cli_command commands[] = {
    {NULL, stats_run, "[--period month|quarter|year]",
	"Channel statistics by period and topic.",
	"  --period P   month (default), quarter or year\n"
	"Cells describing fewer than 5 authors are suppressed by the "
	"server.\n"},
};

const struct cli_noun cmd_stats_noun = {
    "stats", "Channel statistics.", commands, 1};

#include <stdio.h>
#include <stdlib.h>

#include <curl/curl.h>
#include <sodium.h>

#include "cli.h"
#include "jsonmem.h"

int
main(int argc, char **argv)
{
	int rc;

	if (sodium_init() < 0) {
		fprintf(stderr, "dissent: cannot initialise libsodium\n");
		return (CLI_EXIT_ERROR);
	}
	jsonmem_install();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "dissent: cannot initialise libcurl\n");
		return (CLI_EXIT_ERROR);
	}
	rc = cli_run(argc, argv, stdout, stderr);
	curl_global_cleanup();
	return (rc);
}

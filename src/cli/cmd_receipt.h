#ifndef CMD_RECEIPT_H_
#define CMD_RECEIPT_H_

#include "cli.h"

/*
 * `dissent receipt verify FILE [--server-key B64]` (docs/CLI.md,
 * "Receipts"): the offline check of a receipt, with no request to any
 * server.
 */
extern const struct cli_noun cmd_receipt_noun;

#endif /* !CMD_RECEIPT_H_ */

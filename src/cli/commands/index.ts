/**
 * The list of `sigh` subcommands, in the order `sigh --help` shows them. Each helper adds
 * its own import line and array entry.
 */

import type { Command } from "../command.js";
import { command as demo } from "./demo.js";
import { command as generate } from "./generate.js";
import { command as train } from "./train.js";
import { command as score } from "./score.js";
import { command as testOrders } from "./test-orders.js";
import { command as derive } from "./derive.js";
import { command as consume } from "./consume.js";
import { command as publish, publishModelCommand } from "./publish.js";
import { command as report } from "./report.js";
import { command as serve } from "./serve.js";
import { command as review } from "./review.js";

export const commands: Command[] = [demo, generate, train, score, testOrders, derive,
  consume, publish, publishModelCommand, report, serve, review];

// One line per command; each helper module owns its own file under cli/commands/.
export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

import { planCommand } from "./plan";
import { scanCommand } from "./scan";
import { deployManifestsCommand } from "./deploy-manifests";
import { simulateCommand } from "./simulate";
import { recommendScalingCommand } from "./recommend-scaling";
import { configTableCommand } from "./config-table";
import { submitCommand } from "./submit";

export const commands: Record<string, CliCommand> = {
  scan: scanCommand,
  "deploy-manifests": deployManifestsCommand,
  plan: planCommand,
  simulate: simulateCommand,
  "recommend-scaling": recommendScalingCommand,
  "config-table": configTableCommand,
  submit: submitCommand,
};

import { Option, type Command } from 'commander';
import { PROTOCOLS } from '@ltssl/experiments';

/** The options of the commands that hand a study's cells to a scheduler (`submit slurm|k8s`, `queue add`), naming the study. */
export function addStudyOptions(command: Command): Command {
  return command
    .requiredOption('--config <file>', "the study: a study.json (which names its protocol), or a file of fields with --protocol, merged as 'ltssl run' merges them")
    .addOption(new Option('--protocol <name>', 'the protocol, for a --config file of fields').choices(PROTOCOLS))
    // The protocol's own presets check the name (an unknown one is refused with the list).
    .option('--preset <name>', "the preset under a file of fields (the protocol's, as 'ltssl run --preset' takes them)");
}

/** Commander's collector of a repeatable option. */
export function repeatable(value: string, previous: string[]): string[] {
  return [...previous, value];
}

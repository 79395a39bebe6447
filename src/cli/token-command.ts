import type { Command } from 'commander';
import { assertInstrumentId } from '../shared/instrument-id.ts';
import { CliError } from './cli-errors.ts';
import { asCliError, dbOption, withStore } from './store-options.ts';

// `attune-monitor token create|revoke`: the agent tokens the server accepts, one per instrument.
// Safe while the server runs: it reads the tokens from the database on every request.

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description("manage agents' tokens (each bound to one instrument)");

  token
    .command('create')
    .description('make a new token for an instrument (replacing its previous one) and print it as the last line')
    .requiredOption('--instrument <id>', 'the instrument the agent runs beside, e.g. attune-1')
    .addOption(dbOption())
    .action((options: { db: string; instrument: string }) => {
      checkInstrument(options.instrument);
      const { token: created, replaced } = withStore(options.db, { create: true }, (store) => store.agentTokens().create(options.instrument));
      process.stdout.write(
        `${replaced ? `Replaced the token of ${options.instrument}: agents using the old one are refused from now on.` : `Created a token for ${options.instrument}.`}\n` +
          'Give it to the agent (--token, or ATTUNE_AGENT_TOKEN); it is shown only this once, the database keeps only its hash:\n' +
          `${created}\n`,
      );
    });

  token
    .command('revoke')
    .description("revoke an instrument's token: its agent is refused from now on")
    .requiredOption('--instrument <id>', 'the instrument')
    .addOption(dbOption())
    .action((options: { db: string; instrument: string }) => {
      checkInstrument(options.instrument);
      const revoked = withStore(options.db, { create: false }, (store) => store.agentTokens().revoke(options.instrument));
      if (!revoked) throw new CliError(`${options.instrument} has no token to revoke`, 1);
      process.stdout.write(`Revoked the token of ${options.instrument}.\n`);
    });
}

function checkInstrument(id: string): void {
  try {
    assertInstrumentId(id);
  } catch (error) {
    throw asCliError(error);
  }
}

import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServicePlan } from './service-plan.ts';

/** What carrying out a plan touches: files and programs (a recording fake in the tests). */
export interface ServiceHost {
  writeFile(path: string, text: string): void;
  removeFile(path: string): void;
  /** Runs a program with the terminal's output; resolves to its exit code. */
  run(file: string, args: readonly string[]): Promise<number>;
  say(line: string): void;
}

export class ServiceStepError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'ServiceStepError';
  }
}

/**
 * Carries out the steps in order and resolves to the exit code of the last program run (`status`
 * passes on what the service manager says). A program that fails before the last step stops the
 * plan: the error names it and its exit code.
 */
export async function runServicePlan(plan: ServicePlan, host: ServiceHost): Promise<number> {
  let code = 0;
  for (const [i, step] of plan.steps.entries()) {
    if (plan.steps.length > 1) host.say(step.say);
    if (step.write !== undefined) host.writeFile(step.write.path, step.write.text);
    if (step.remove !== undefined) host.removeFile(step.remove);
    if (step.run !== undefined) {
      code = await host.run(step.run.file, step.run.args);
      const last = i === plan.steps.length - 1;
      if (code !== 0 && !last && !step.mayFail) throw new ServiceStepError(`${step.run.file} ${step.run.args.join(' ')} failed (exit code ${code}); nothing further was done`, 1);
    }
  }
  if (plan.done !== '') host.say(plan.done);
  return code;
}

export const localServiceHost: ServiceHost = {
  writeFile(path, text) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  },
  removeFile(path) {
    rmSync(path, { force: true });
  },
  run(file, args) {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { stdio: 'inherit', windowsHide: true });
      child.once('error', (error) => reject(new ServiceStepError(`cannot run ${file}: ${error.message}`, 1)));
      child.once('exit', (code) => resolve(code ?? 1));
    });
  },
  say(line) {
    process.stdout.write(`${line}\n`);
  },
};

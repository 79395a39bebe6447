// What a `service` subcommand does, as data: the files it writes and the programs it runs, in
// order. Built by pure functions (tested anywhere, Windows included), carried out by one small
// executor; so what runs on a Windows PC is exactly what the tests read.

export type ServiceAction = 'install' | 'uninstall' | 'start' | 'stop' | 'status';
export const SERVICE_ACTIONS: readonly ServiceAction[] = ['install', 'uninstall', 'start', 'stop', 'status'];

export interface ServiceStep {
  /** Said before it is done. */
  say: string;
  write?: { path: string; text: string };
  remove?: string;
  run?: { file: string; args: string[] };
  /** Its program may fail without stopping the plan (stopping a service that is not running). */
  mayFail?: boolean;
}

export interface ServicePlan {
  steps: ServiceStep[];
  /** Printed when all went well. */
  done: string;
}

/** How this agent is started: the executable alone, or Node with the one-file script. */
export interface AgentLaunch {
  /** The program: the single executable, or node. */
  program: string;
  /** Arguments before the agent's own: [] for the executable, [node's flags…, the script] for node. */
  leadingArgs: string[];
}

export const SERVICE_ID = 'attune-agent';

import { win32 } from 'node:path';
import type { AgentLaunch, ServiceAction, ServicePlan } from './service-plan.ts';
import { SERVICE_ID } from './service-plan.ts';

// The Windows service, through WinSW (the wrapper node-windows ships, renamed
// attune-agent-service.exe, its XML beside it with the same base name as WinSW expects). WinSW
// starts the agent, restarts it when it fails, writes its output to rotated log files, and stops
// it with Ctrl+C (the agent saves its checkpoints) before killing it after the stop timeout.
// WinSW 1.x has no delayed automatic start: sc.exe sets it after install. Paths are Windows
// paths whatever this machine is (path.win32), so the tests check them on Linux.

export const WRAPPER_NAME = 'attune-agent-service.exe';
export const WRAPPER_XML_NAME = 'attune-agent-service.xml';

export interface WindowsServiceOptions {
  launch: AgentLaunch;
  /** Absolute path of the config file the service runs with. */
  configPath: string;
  /** The agent's state folder: the service's own log files go in its `logs` subfolder. */
  stateDir: string;
}

const xmlText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** One argument on a Windows command line (paths with spaces; a path never ends in a backslash here). */
const windowsArg = (arg: string): string => (/[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg);

export function wrapperPaths(launch: AgentLaunch): { wrapper: string; xml: string; folder: string } {
  const folder = win32.dirname(launch.leadingArgs.at(-1) ?? launch.program);
  return { folder, wrapper: win32.join(folder, WRAPPER_NAME), xml: win32.join(folder, WRAPPER_XML_NAME) };
}

/** The wrapper's configuration: which program, with which arguments, restarted how, logging where. */
export function winswXml(options: WindowsServiceOptions): string {
  const { launch } = options;
  const args = [...launch.leadingArgs, 'run', '--config', options.configPath].map(windowsArg).join(' ');
  return `<!-- The Windows service of the attune-monitor agent (WinSW). Written by "attune-agent service install": edit agent.toml, not this file. -->
<service>
  <id>${SERVICE_ID}</id>
  <name>Attune monitor agent</name>
  <description>Follows the Attune NxT System_*.log files and ships their events to the attune-monitor server.</description>
  <executable>${xmlText(launch.program)}</executable>
  <arguments>${xmlText(args)}</arguments>
  <workingdirectory>${xmlText(wrapperPaths(launch).folder)}</workingdirectory>
  <startmode>Automatic</startmode>
  <!-- Stop: Ctrl+C, then up to 30 s for the agent to finish its step and save its checkpoints. -->
  <stoptimeout>30 sec</stoptimeout>
  <onfailure action="restart" delay="10 sec"/>
  <onfailure action="restart" delay="60 sec"/>
  <resetfailure>1 hour</resetfailure>
  <logpath>${xmlText(win32.join(options.stateDir, 'logs'))}</logpath>
  <log mode="roll-by-size">
    <sizeThreshold>10240</sizeThreshold>
    <keepFiles>8</keepFiles>
  </log>
</service>
`;
}

export function windowsServicePlan(action: ServiceAction, options: WindowsServiceOptions): ServicePlan {
  const { wrapper, xml } = wrapperPaths(options.launch);
  const wrapperRun = (verb: string) => ({ file: wrapper, args: [verb] });
  switch (action) {
    case 'install':
      return {
        steps: [
          { say: `writing ${xml}`, write: { path: xml, text: winswXml(options) } },
          { say: `installing the service ${SERVICE_ID}`, run: wrapperRun('install') },
          { say: 'setting it to start automatically, delayed (after the network and the Attune software)', run: { file: 'sc.exe', args: ['config', SERVICE_ID, 'start=', 'delayed-auto'] } },
        ],
        done: `installed the service ${SERVICE_ID} (config ${options.configPath}, its logs in ${win32.join(options.stateDir, 'logs')}); start it with: attune-agent service start`,
      };
    case 'uninstall':
      return {
        steps: [
          { say: `stopping the service ${SERVICE_ID} if it runs`, run: wrapperRun('stop'), mayFail: true },
          { say: `removing the service ${SERVICE_ID}`, run: wrapperRun('uninstall') },
        ],
        done: `removed the service ${SERVICE_ID} (its state folder ${options.stateDir} is kept)`,
      };
    case 'start':
    case 'stop':
    case 'status':
      return { steps: [{ say: `${action} ${SERVICE_ID}`, run: wrapperRun(action) }], done: '' };
    default: {
      const never: never = action;
      throw new Error(`unknown service action ${String(never)}`);
    }
  }
}

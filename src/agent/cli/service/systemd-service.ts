import type { AgentLaunch, ServiceAction, ServicePlan } from './service-plan.ts';
import { SERVICE_ID } from './service-plan.ts';

// On Linux the agent runs under systemd. `service install` prints the unit (to put in place by
// hand or by configuration management); with --systemd it installs and enables it.

export const UNIT_PATH = `/etc/systemd/system/${SERVICE_ID}.service`;

export interface SystemdOptions {
  launch: AgentLaunch;
  configPath: string;
}

/** systemd's quoting: each argument in double quotes, backslashes and quotes escaped. */
const unitArg = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/[\\"]/g, '\\$&')}"`);

export function systemdUnit(options: SystemdOptions): string {
  const command = [options.launch.program, ...options.launch.leadingArgs, 'run', '--config', options.configPath].map(unitArg).join(' ');
  return `# The attune-monitor agent (written by "attune-agent service install --systemd").
[Unit]
Description=attune-monitor agent: ships the Attune System_*.log events to the server
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=${command}
# SIGTERM: the agent finishes its step and saves its checkpoints.
KillSignal=SIGTERM
TimeoutStopSec=30
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
`;
}

export function systemdPlan(action: ServiceAction, options: SystemdOptions, install: boolean): ServicePlan {
  const systemctl = (...args: string[]) => ({ file: 'systemctl', args });
  switch (action) {
    case 'install':
      if (!install) return { steps: [], done: `${systemdUnit(options)}\n# Save this as ${UNIT_PATH}, or run: attune-agent service install --systemd --config ${options.configPath}` };
      return {
        steps: [
          { say: `writing ${UNIT_PATH}`, write: { path: UNIT_PATH, text: systemdUnit(options) } },
          { say: 'reloading systemd', run: systemctl('daemon-reload') },
          { say: `enabling ${SERVICE_ID}`, run: systemctl('enable', SERVICE_ID) },
        ],
        done: `installed ${SERVICE_ID}; start it with: attune-agent service start`,
      };
    case 'uninstall':
      return {
        steps: [
          { say: `stopping and disabling ${SERVICE_ID}`, run: systemctl('disable', '--now', SERVICE_ID), mayFail: true },
          { say: `removing ${UNIT_PATH}`, remove: UNIT_PATH },
          { say: 'reloading systemd', run: systemctl('daemon-reload') },
        ],
        done: `removed ${SERVICE_ID}`,
      };
    case 'start':
    case 'stop':
    case 'status':
      return { steps: [{ say: `${action} ${SERVICE_ID}`, run: systemctl(action, SERVICE_ID) }], done: '' };
    default: {
      const never: never = action;
      throw new Error(`unknown service action ${String(never)}`);
    }
  }
}

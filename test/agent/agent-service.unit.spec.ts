import { describe, expect, it } from 'vitest';
import { runServicePlan, ServiceStepError, type ServiceHost } from '../../src/agent/cli/service/run-service-plan.ts';
import { systemdPlan, systemdUnit, UNIT_PATH } from '../../src/agent/cli/service/systemd-service.ts';
import { windowsServicePlan, winswXml } from '../../src/agent/cli/service/windows-service.ts';

// What `attune-agent service …` would write and run on Windows (WinSW) and Linux (systemd):
// checked here as data, since Windows cannot run on these machines.

const exe = { program: 'C:\\Program Files\\attune-agent\\attune-agent.exe', leadingArgs: [] };
const windows = { launch: exe, configPath: 'C:\\Program Files\\attune-agent\\agent.toml', stateDir: 'C:\\ProgramData\\attune-monitor\\agent' };

/** A host that records what it is asked to do; programs answer the codes given, in order. */
function recordingHost(codes: number[] = []) {
  const done: string[] = [];
  const host: ServiceHost = {
    writeFile: (path, text) => void done.push(`write ${path} (${text.length} chars)`),
    removeFile: (path) => void done.push(`remove ${path}`),
    run: async (file, args) => (done.push(`run ${file} ${args.join(' ')}`), codes.shift() ?? 0),
    say: () => {},
  };
  return { host, done };
}

const element = (xml: string, name: string): string[] => [...xml.matchAll(new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);

describe('the Windows service (WinSW)', () => {
  it('runs the executable with the config file, restarts it on failure, stops it gently, rotates its logs', () => {
    const xml = winswXml(windows);
    expect(element(xml, 'id')).toEqual(['attune-agent']);
    expect(element(xml, 'executable')).toEqual(['C:\\Program Files\\attune-agent\\attune-agent.exe']);
    expect(element(xml, 'arguments')).toEqual(['run --config &quot;C:\\Program Files\\attune-agent\\agent.toml&quot;']);
    expect(element(xml, 'workingdirectory')).toEqual(['C:\\Program Files\\attune-agent']);
    expect(element(xml, 'startmode')).toEqual(['Automatic']);
    expect(element(xml, 'stoptimeout')).toEqual(['30 sec']);
    expect(xml).toContain('<onfailure action="restart" delay="10 sec"/>');
    expect(element(xml, 'logpath')).toEqual(['C:\\ProgramData\\attune-monitor\\agent\\logs']);
    expect(xml).toMatch(/<log mode="roll-by-size">\s*<sizeThreshold>10240<\/sizeThreshold>\s*<keepFiles>8<\/keepFiles>/);
  });

  it('escapes what XML and the command line need, for shares and odd folder names', () => {
    const xml = winswXml({ launch: { program: 'D:\\Tools & Co\\node.exe', leadingArgs: ['--max-semi-space-size=1', 'D:\\Tools & Co\\attune-agent.cjs'] }, configPath: '\\\\server\\share\\agent.toml', stateDir: 'E:\\state' });
    expect(element(xml, 'executable')).toEqual(['D:\\Tools &amp; Co\\node.exe']);
    expect(element(xml, 'arguments')).toEqual(['--max-semi-space-size=1 &quot;D:\\Tools &amp; Co\\attune-agent.cjs&quot; run --config \\\\server\\share\\agent.toml']);
    expect(element(xml, 'workingdirectory')).toEqual(['D:\\Tools &amp; Co']);
    expect(xml).not.toMatch(/&(?!amp;|quot;|lt;|gt;)/);
  });

  it('installs: the XML beside the wrapper, the wrapper install, then a delayed automatic start', async () => {
    const plan = windowsServicePlan('install', windows);
    expect(plan.steps[0]!.write!.text).toBe(winswXml(windows));
    const { host, done } = recordingHost();
    expect(await runServicePlan(plan, host)).toBe(0);
    expect(done).toEqual([
      `write C:\\Program Files\\attune-agent\\attune-agent-service.xml (${winswXml(windows).length} chars)`,
      'run C:\\Program Files\\attune-agent\\attune-agent-service.exe install',
      'run sc.exe config attune-agent start= delayed-auto',
    ]);
  });

  it('stops at the first failing program, saying which', async () => {
    const { host, done } = recordingHost([5]);
    await expect(runServicePlan(windowsServicePlan('install', windows), host)).rejects.toThrow(new ServiceStepError('C:\\Program Files\\attune-agent\\attune-agent-service.exe install failed (exit code 5); nothing further was done', 1));
    expect(done).toHaveLength(2);
  });

  it('uninstalls a stopped service (the stop may fail), and passes on what status says', async () => {
    const uninstall = recordingHost([1, 0]);
    expect(await runServicePlan(windowsServicePlan('uninstall', windows), uninstall.host)).toBe(0);
    expect(uninstall.done).toEqual(['run C:\\Program Files\\attune-agent\\attune-agent-service.exe stop', 'run C:\\Program Files\\attune-agent\\attune-agent-service.exe uninstall']);
    for (const action of ['start', 'stop', 'status'] as const) {
      const { host, done } = recordingHost([3]);
      expect(await runServicePlan(windowsServicePlan(action, windows), host)).toBe(3);
      expect(done).toEqual([`run C:\\Program Files\\attune-agent\\attune-agent-service.exe ${action}`]);
    }
  });
});

describe('the systemd unit (Linux)', () => {
  const linux = { launch: { program: '/usr/bin/node', leadingArgs: ['/opt/attune agent/attune-agent.cjs'] }, configPath: '/etc/attune-agent/agent.toml' };

  it('runs the agent with the config file, restarts it on failure, stops it with SIGTERM', () => {
    const unit = systemdUnit(linux);
    expect(unit).toContain('ExecStart=/usr/bin/node "/opt/attune agent/attune-agent.cjs" run --config /etc/attune-agent/agent.toml\n');
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
  });

  it('prints the unit unless told to install it', async () => {
    expect(systemdPlan('install', linux, false)).toEqual({ steps: [], done: expect.stringContaining(systemdUnit(linux)) });
    const { host, done } = recordingHost();
    await runServicePlan(systemdPlan('install', linux, true), host);
    expect(done).toEqual([`write ${UNIT_PATH} (${systemdUnit(linux).length} chars)`, 'run systemctl daemon-reload', 'run systemctl enable attune-agent']);
  });
});

// `import { mountAttune } from 'attune-monitor/slack'` from a lab's Bolt JS bot. The package runs
// its TypeScript sources directly (as bin/attune-monitor.js does); tsImport loads them without
// registering a loader for the host's own modules.
import { tsImport } from 'tsx/esm/api';

const slack = await tsImport('../src/slack/index.ts', import.meta.url);

export const { mountAttune, readUserMap, SlackUserMap, escapeText, SLACK_CALL_TIMEOUT_MS, SLACK_RETRY_POLICY } = slack;

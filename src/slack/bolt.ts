const importBolt = () => import('@slack/bolt');

/** The @slack/bolt module (5.x), as a value. */
export type Bolt = Awaited<ReturnType<typeof importBolt>>;

let loading: Promise<Bolt> | null = null;

/**
 * Bolt is loaded when the Slack app starts, never at import time. Every command shares one entry
 * (and `npm run build` bundles it, where a static import would be hoisted to the top), and
 * Bolt costs about 34 MB and half a second to load: the agent, a long-running service on the
 * instrument PC, must not carry it. Everything else in src/slack imports only Bolt's types.
 */
export function loadBolt(): Promise<Bolt> {
  loading ??= importBolt();
  return loading;
}

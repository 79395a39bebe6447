/**
 * Node flags the agent runs with: baked into the single executables (the SEA config's execArgv),
 * and put before the script when a service runs the one file with node.
 *
 * - `--max-semi-space-size=1`: V8's young generation defaults to semi-spaces of up to 16 MiB
 *   each, sized for throughput; the agent allocates little at a time, and after catching up on a
 *   day of logs they stay large. At 1 MiB the agent at rest holds about 30 MB less (bench:live).
 * - `--jitless`: no optimising compilers. They make a catch-up faster, but what they compile and
 *   the compilers' own pages of the Node binary stay resident at rest: without them the agent at
 *   rest holds about 12 MB less, and catching up on a busy day costs the same CPU (about 1 s),
 *   on twenty days about 40 % more (3.6 → 5.0 s). It also turns off WebAssembly, which the agent
 *   does not use (its HTTP client is node:http, see http-text.ts).
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--jitless'];

#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx attune-monitor` works right after `npm ci`
// with no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

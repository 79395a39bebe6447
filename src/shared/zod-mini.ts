import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The schemas the agent loads (its settings, state files, the protocol) use zod/mini: classic zod
// costs the idle agent about 10 MB of memory at every start, zod/mini well under one. zod/mini
// carries no messages of its own, so the English ones are set here, where every such schema
// comes from: refusals read the same as with classic zod (which sets the same, in the server).
config(en());

export * from 'zod/mini';

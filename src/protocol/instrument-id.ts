import { z } from 'zod';

// Instrument ids appear in URLs, file names and Slack messages: a conservative alphabet keeps them
// safe everywhere without escaping.
export const instrumentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an instrument id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

export type InstrumentId = z.infer<typeof instrumentIdSchema>;

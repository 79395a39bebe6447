import * as z from '../shared/zod-mini.ts';
import { INSTRUMENT_ID_PATTERN } from '../shared/instrument-id.ts';

// The store's rule for instrument ids (they name streams, tokens and URL segments), as a schema.
export const instrumentIdSchema = z
  .string()
  .check(z.regex(INSTRUMENT_ID_PATTERN, "an instrument id is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"));

export type InstrumentId = z.infer<typeof instrumentIdSchema>;

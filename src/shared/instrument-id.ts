// An instrument id names a stream in the store, a token's instrument and a path segment of the API:
// short, plain characters, no slash (run and alert ids are `<instrument>/<id in the log>`).
export const INSTRUMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class InvalidInstrumentIdError extends Error {
  constructor(id: string) {
    super(`invalid instrument id ${JSON.stringify(id)}: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. attune-1)`);
    this.name = 'InvalidInstrumentIdError';
  }
}

export function assertInstrumentId(id: string): string {
  if (!INSTRUMENT_ID_PATTERN.test(id)) throw new InvalidInstrumentIdError(id);
  return id;
}

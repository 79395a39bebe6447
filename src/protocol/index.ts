export * from './api-paths.ts';
export * from './api-errors.ts';
export * from './instrument-id.ts';
export * from './events-api.ts';
export * from './heartbeat-api.ts';

export * from './log-record.ts';
export { LogParser, parseLogBytes, DEFAULT_MAX_LINE_BYTES, type LogParserOptions } from './log-parser.ts';
export { parseLogTimestamp } from './timestamp.ts';
export { isSystemLogName, launchTimeFromName, compareLogNames } from './log-file-name.ts';

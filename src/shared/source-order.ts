/** Where a log event sits among an instrument's events: the source key without the informative line number. */
export interface SourcePosition {
  file: string;
  offset: number;
  index: number;
}

/**
 * Source order: by log file name (launch order), then byte offset, then index within the line.
 * It is the order an instrument's log events are applied to its machine, whatever order they
 * arrived in. Names compare as UTF-8 bytes, exactly as SQLite orders the `events_source_key`
 * index that replay reads, so the two can never disagree.
 */
export function compareSourcePositions(a: SourcePosition, b: SourcePosition): number {
  if (a.file !== b.file) return Buffer.compare(Buffer.from(a.file, 'utf8'), Buffer.from(b.file, 'utf8'));
  return a.offset - b.offset || a.index - b.index;
}

// RFC 4180 fields of one log line. A record never spans lines here: a line cut short by a crash
// with an open quote must not swallow the lines after it, so an unterminated quote is an error.

export type FieldsResult = { ok: true; fields: string[] } | { ok: false; reason: 'bad_quoting' };

export function splitCsvLine(line: string): FieldsResult {
  if (line.indexOf('"') === -1) return { ok: true, fields: line.split(',') };
  return splitQuoted(line);
}

function splitQuoted(line: string): FieldsResult {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line.charCodeAt(i) === 34) {
      // Quoted field: `""` is a quote; the closing quote must end the field.
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q === -1) return { ok: false, reason: 'bad_quoting' };
        value += line.slice(from, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { ok: true, fields };
      if (line.charCodeAt(i) !== 44) return { ok: false, reason: 'bad_quoting' };
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      // A quote inside a field that does not start with one is kept as a character.
      fields.push(line.slice(i, end));
      if (comma === -1) return { ok: true, fields };
      i = comma + 1;
    }
  }
}

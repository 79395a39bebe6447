import { describe, expect, it } from 'vitest';
import { localTimeText } from '../../src/cli/text-table.ts';

// What localTimeText must say: Intl's own reading of the instant in the zone, field by field.
const formats = new Map<string, Intl.DateTimeFormat>();
function intlText(utcIso: string, zone: string): string {
  const format =
    formats.get(zone) ??
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  formats.set(zone, format);
  const parts = format.formatToParts(new Date(utcIso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

// Zones with daylight saving (whole and half hours), odd offsets, and one whose offset had seconds.
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Monrovia'];

describe('localTimeText', () => {
  it.each(ZONES)('reads every instant as Intl does in %s, across daylight-saving changes', (zone) => {
    // Every 17 min 13.457 s through 2020 and around Monrovia's change of 1972 (offset -0:44:30 before it).
    const spans: Array<[string, string]> = [
      ['2020-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z'],
      ['1972-01-01T00:00:00.000Z', '1972-01-20T00:00:00.000Z'],
    ];
    const wrong: string[] = [];
    for (const [from, to] of spans) {
      for (let ms = Date.parse(from); ms < Date.parse(to); ms += 1_033_457) {
        const iso = new Date(ms).toISOString();
        if (localTimeText(iso, zone) !== intlText(iso, zone)) wrong.push(`${iso}: ${localTimeText(iso, zone)}, not ${intlText(iso, zone)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reads the last second before a change and the first after it', () => {
    // Europe/Berlin: 2021-03-28 01:00 UTC forward, 2021-10-31 01:00 UTC back.
    for (const iso of ['2021-03-28T00:59:59.999Z', '2021-03-28T01:00:00.000Z', '2021-10-31T00:59:59.999Z', '2021-10-31T01:00:00.000Z']) {
      expect(localTimeText(iso, 'Europe/Berlin')).toBe(intlText(iso, 'Europe/Berlin'));
    }
    expect(localTimeText('2021-10-31T00:30:00.000Z', 'Europe/Berlin')).toBe('2021-10-31 02:30:00');
    expect(localTimeText('2021-10-31T01:30:00.000Z', 'Europe/Berlin')).toBe('2021-10-31 02:30:00');
  });

  it('is empty for no time, and as Intl outside years 1000 to 9999', () => {
    expect(localTimeText(null, 'UTC')).toBe('');
    for (const iso of ['0999-12-31T23:00:00.000Z', '+010000-01-01T00:00:00.000Z']) expect(localTimeText(iso, 'Europe/Berlin')).toBe(intlText(iso, 'Europe/Berlin'));
  });
});

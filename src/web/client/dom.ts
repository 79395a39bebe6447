// Small DOM helpers for the pages' scripts: elements built from data, never from HTML strings
// (text is always set as text, so nothing from a log can become markup).

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attributes: Record<string, string | number | undefined> = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, String(value));
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** The viewer's offset from UTC at a moment, in ms (what the shared formatters take). */
export function localOffsetMs(ms: number): number {
  return -new Date(ms).getTimezoneOffset() * 60_000;
}

// One format for times and dates on every page, whatever the browser's locale: a 24-hour clock
// and the ISO date (`2026-11-30 14:05`), which nobody reads as another day.

/** `14:05`, or `14:05:09` with seconds, in the viewer's zone. */
export function localClock(ms: number, seconds = false): string {
  const date = new Date(ms);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}${seconds ? `:${two(date.getSeconds())}` : ''}`;
}

/** `2026-11-30 14:05` in the viewer's zone. */
export function localDateTime(iso: string): string {
  const ms = Date.parse(iso);
  return `${isoDate(ms)} ${localClock(ms)}`;
}

/** `14:05` when `iso` is today (in the viewer's zone), else `2026-11-30 14:05`. */
export function localWhen(iso: string, nowMs: number): string {
  const ms = Date.parse(iso);
  return isoDate(ms) === isoDate(nowMs) ? localClock(ms) : localDateTime(iso);
}

/** Local midnight of the day holding `ms`, and of the next day. */
export function localDay(ms: number): { start: number; end: number } {
  const start = new Date(ms);
  start.setHours(0, 0, 0, 0);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  return { start: start.getTime(), end: end.getTime() };
}

/** A `YYYY-MM-DD` of a date input → local midnight, in ms. */
export function localMidnight(date: string): number {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(year, month - 1, day).getTime();
}

export function isoDate(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * Makes `target`'s children look like `fresh`'s, keeping every node that is already right: text
 * changes in place, so a card or a countdown updated every second is the same element all along
 * (focus, selection and screen readers' live regions stay put). Nodes of another kind or tag are
 * replaced.
 */
export function patchElement(target: Element, fresh: Element): void {
  if (!patchNode(target, fresh)) throw new Error(`cannot patch a <${target.nodeName}> into a <${fresh.nodeName}>`);
}

function patchChildren(target: Element, fresh: Element): void {
  const wanted = [...fresh.childNodes];
  wanted.forEach((node, i) => {
    const current = target.childNodes[i];
    if (current === undefined) target.append(node);
    else if (!patchNode(current, node)) current.replaceWith(node);
  });
  while (target.childNodes.length > wanted.length) target.lastChild?.remove();
}

/** Brings `current` in line with `fresh`; false when it cannot (another kind of node). */
function patchNode(current: Node, fresh: Node): boolean {
  if (current.nodeType !== fresh.nodeType || current.nodeName !== fresh.nodeName) return false;
  if (!(current instanceof Element) || !(fresh instanceof Element)) {
    if (current.nodeValue !== fresh.nodeValue) current.nodeValue = fresh.nodeValue;
    return true;
  }
  for (const name of current.getAttributeNames()) if (!fresh.hasAttribute(name)) current.removeAttribute(name);
  for (const name of fresh.getAttributeNames()) {
    const value = fresh.getAttribute(name) ?? '';
    if (current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  // A progress bar's value is a property as well as an attribute.
  if (current instanceof HTMLProgressElement && fresh instanceof HTMLProgressElement) current.value = fresh.value;
  patchChildren(current, fresh);
  return true;
}

export async function getJson<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(name, value);
  const text = query.toString();
  const response = await fetch(text === '' ? path : `${path}?${text}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Calls `work` at most once per `ms`, the last call winning (for refreshes on bursts of changes). */
export function throttle(work: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  return () => {
    if (timer !== null) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      work();
    }, wait);
  };
}

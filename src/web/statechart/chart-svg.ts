import { escapeHtml } from '../html.ts';
import type { ChartLayout } from './chart-layout.ts';

const LABEL_LINE_H = 12;
/** Estimated width of a character of a 10 px label. */
const LABEL_CHAR = 5.4;

/**
 * The laid-out statechart as an SVG document fragment. States and edges carry their ids in
 * `data-state` / `data-edge` so the page highlights them by adding classes; the look is in CSS.
 */
export function chartSvg(layout: ChartLayout): string {
  const parts: string[] = [
    `<svg class="statechart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(layout.width)} ${round(layout.height)}" role="img" aria-label="The instrument state machine">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker></defs>',
  ];
  for (const box of layout.boxes) {
    const title = box.description === null ? '' : `<title>${escapeHtml(box.description)}</title>`;
    if (box.kind === 'state') {
      parts.push(
        `<g class="state" data-state="${escapeHtml(box.id)}">${title}`,
        `<rect x="${round(box.x)}" y="${round(box.y)}" width="${round(box.width)}" height="${round(box.height)}" rx="10"/>`,
        `<text class="state-title" x="${round(box.x + box.width / 2)}" y="${round(box.y + 20)}">${escapeHtml(box.title)}</text>`,
        ...box.notes.map((line, i) => `<text class="state-note" x="${round(box.x + box.width / 2)}" y="${round(box.y + 38 + i * 13)}">${escapeHtml(line)}</text>`),
        '</g>',
      );
    } else {
      parts.push(
        `<g class="${box.kind}" data-state="${escapeHtml(box.id)}">${title}`,
        `<rect x="${round(box.x)}" y="${round(box.y)}" width="${round(box.width)}" height="${round(box.height)}" rx="6"/>`,
        `<text class="region-title" x="${round(box.x + 10)}" y="${round(box.y + 18)}">${escapeHtml(box.title)}</text>`,
        ...box.notes.map((line, i) => `<text class="region-note" x="${round(box.x + 10)}" y="${round(box.y + 32 + i * 13)}">${escapeHtml(line)}</text>`),
        '</g>',
      );
    }
  }
  for (const marker of layout.initials) {
    parts.push(`<g class="initial" data-initial="${escapeHtml(marker.parent)}"><circle cx="${round(marker.cx)}" cy="${round(marker.cy)}" r="5"/><path d="${marker.path}" marker-end="url(#arrow)"/></g>`);
  }
  for (const edge of layout.edges) {
    const { x, y, lines } = edge.label;
    const top = y - ((lines.length - 1) * LABEL_LINE_H) / 2 + 4;
    // An opaque plate under the label, so the arcs that cross it do not run through its letters.
    const plateWidth = Math.max(...lines.map((line) => line.length)) * LABEL_CHAR + 6;
    const self = edge.source === edge.target;
    const plateX = self ? x - 3 : x - plateWidth / 2;
    parts.push(
      `<g class="edge${self ? ' self' : ''}" data-edge="${escapeHtml(edge.id)}" data-source="${escapeHtml(edge.source)}" data-target="${escapeHtml(edge.target)}">`,
      `<path d="${edge.path}" marker-end="url(#arrow)"/>`,
      `<rect class="label-plate" x="${round(plateX)}" y="${round(top - 10)}" width="${round(plateWidth)}" height="${lines.length * LABEL_LINE_H + 2}" rx="3"/>`,
      `<text class="edge-label" x="${round(x)}" y="${round(top)}">`,
      ...lines.map((line, i) => `<tspan x="${round(x)}" dy="${i === 0 ? 0 : LABEL_LINE_H}" data-event="${escapeHtml(line.split(' ')[0] ?? line)}">${escapeHtml(line)}</tspan>`),
      '</text></g>',
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

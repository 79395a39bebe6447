import { escapeHtml } from '../html.ts';
import { LABEL_LINE_H, type ChartLayout } from './chart-layout.ts';

/**
 * The laid-out statechart as an SVG document fragment. States and edges carry their ids in
 * `data-state` / `data-edge` so the page highlights them by adding classes; the look is in CSS.
 */
export function chartSvg(layout: ChartLayout): string {
  const parts: string[] = [
    `<svg class="statechart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(layout.width)} ${round(layout.height)}" width="${round(layout.width)}" role="img" aria-label="The instrument state machine">`,
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
    parts.push(`<g class="initial" data-initial="${escapeHtml(marker.parent)}"><circle cx="${round(marker.cx)}" cy="${round(marker.cy)}" r="5"/><path d="${pathOf(marker.points)}" marker-end="url(#arrow)"/></g>`);
  }
  // Edges first, labels after all of them: no line is drawn over a label.
  for (const edge of layout.edges) {
    parts.push(
      `<g class="edge" data-edge="${escapeHtml(edge.id)}" data-source="${escapeHtml(edge.source)}" data-target="${escapeHtml(edge.target)}"><path d="${pathOf(edge.points)}" marker-end="url(#arrow)"/></g>`,
    );
  }
  for (const edge of layout.edges) {
    const { x, y, width, height, lines } = edge.label;
    const middle = x + width / 2;
    parts.push(
      `<g class="edge-label-group" data-label-of="${escapeHtml(edge.id)}">`,
      `<rect class="label-plate" x="${round(x)}" y="${round(y)}" width="${round(width)}" height="${round(height)}" rx="3"/>`,
      `<text class="edge-label" x="${round(middle)}" y="${round(y + LABEL_LINE_H - 1)}">`,
      ...lines.map((line, i) => `<tspan x="${round(middle)}" dy="${i === 0 ? 0 : LABEL_LINE_H}" data-event="${escapeHtml(line.split(' ')[0] ?? line)}">${escapeHtml(line)}</tspan>`),
      '</text></g>',
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function pathOf(points: ReadonlyArray<{ x: number; y: number }>): string {
  return points.map((point, i) => `${i === 0 ? 'M' : 'L'} ${round(point.x)} ${round(point.y)}`).join(' ');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

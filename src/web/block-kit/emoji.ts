/**
 * Slack's `:shortcode:` emoji as the preview shows them. Coloured circles (the home tab's free /
 * busy / offline badges) are drawn as dots in CSS, which need no emoji font; the others are
 * Unicode. An unknown shortcode stays as text, as Slack shows one it does not know.
 */
const DOTS: Readonly<Record<string, string>> = {
  large_green_circle: 'green',
  red_circle: 'red',
  black_circle: 'black',
  large_blue_circle: 'blue',
  white_circle: 'white',
  large_yellow_circle: 'yellow',
  large_orange_circle: 'orange',
};

const UNICODE: Readonly<Record<string, string>> = {
  boom: '💥',
  bust_in_silhouette: '👤',
  electric_plug: '🔌',
  gear: '⚙️',
  grey_question: '❔',
  hourglass_flowing_sand: '⏳',
  octagonal_sign: '🛑',
  raised_hand: '✋',
  rotating_light: '🚨',
  satellite_antenna: '📡',
  stopwatch: '⏱️',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
  zzz: '💤',
  bell: '🔔',
  no_bell: '🔕',
  microscope: '🔬',
};

/** Replaces the known shortcodes in already-escaped HTML text. */
export function emojiToHtml(escaped: string): string {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (code: string, name: string) => {
    const dot = DOTS[name];
    if (dot !== undefined) return `<span class="bk-dot ${dot}" role="img" aria-label="${name}"></span>`;
    const unicode = UNICODE[name];
    return unicode === undefined ? code : `<span class="bk-emoji" role="img" aria-label="${name}">${unicode}</span>`;
  });
}

import { describe, expect, it } from 'vitest';
import { blockKitToHtml } from '../../src/web/block-kit/block-kit-html.ts';
import { mrkdwnToHtml } from '../../src/web/block-kit/mrkdwn.ts';

describe('mrkdwn → HTML', () => {
  it('formats bold, italic, strike and code, as Slack does, only at word edges', () => {
    expect(mrkdwnToHtml('*Attune 1* is _busy_ ~free~ `Startup`')).toBe('<b>Attune 1</b> is <i>busy</i> <s>free</s> <code>Startup</code>');
    expect(mrkdwnToHtml('a*b*c snake_case_name 2*3*4')).toBe('a*b*c snake_case_name 2*3*4');
    expect(mrkdwnToHtml('line one\nline two')).toBe('line one<br>line two');
  });

  it('reads links, mentions and date tokens', () => {
    expect(mrkdwnToHtml('<https://example.org/a?b=1&amp;c=2|the docs>')).toBe('<a href="https://example.org/a?b=1&amp;amp;c=2" rel="noopener noreferrer" target="_blank">the docs</a>');
    expect(mrkdwnToHtml('by <@U123ABC>')).toBe('by <span class="bk-mention">@U123ABC</span>');
    expect(mrkdwnToHtml('<!here> look')).toBe('<span class="bk-mention">@here</span> look');
    expect(mrkdwnToHtml('ends <!date^1600000000^{time}|13:26 UTC>')).toBe('ends <time class="bk-date" datetime="2020-09-13T12:26:40.000Z" data-format="{time}">13:26 UTC</time>');
  });

  it('shows Slack’s entities as characters and never lets text become markup', () => {
    expect(mrkdwnToHtml('a &lt; b &amp;&amp; c &gt; d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(mrkdwnToHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mrkdwnToHtml('<javascript:alert(1)|click>')).toBe('&lt;javascript:alert(1)|click&gt;');
    expect(mrkdwnToHtml('"quoted" \'single\'')).toBe('&quot;quoted&quot; &#39;single&#39;');
  });

  it('shows emoji shortcodes, the badge circles as dots, unknown ones as text', () => {
    expect(mrkdwnToHtml(':large_green_circle: *Free* :stopwatch: :no_such_emoji:')).toBe(
      '<span class="bk-dot green" role="img" aria-label="large_green_circle"></span> <b>Free</b> <span class="bk-emoji" role="img" aria-label="stopwatch">⏱️</span> :no_such_emoji:',
    );
    expect(mrkdwnToHtml('at 12:30:45 today')).toBe('at 12:30:45 today');
  });

  it('keeps code blocks and quotes', () => {
    expect(mrkdwnToHtml('see:\n```\n*not bold* <b>\n```')).toBe('see:<br><pre>*not bold* &lt;b&gt;<br></pre>');
    expect(mrkdwnToHtml('&gt; quoted\nplain')).toBe('<blockquote>quoted<br></blockquote>plain');
  });
});

describe('Block Kit → HTML', () => {
  it('draws the blocks a home tab is made of', () => {
    const html = blockKitToHtml([
      { type: 'header', text: { type: 'plain_text', text: 'Attune <instruments>', emoji: true } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '2 instruments · *1 free*' }] },
      { type: 'section', text: { type: 'mrkdwn', text: '*attune-1* busy' }, fields: [{ type: 'mrkdwn', text: '_User_' }, { type: 'plain_text', text: 'jsmith' }], accessory: { type: 'button', text: { type: 'plain_text', text: 'Notify me' }, style: 'primary', action_id: 'notify' } },
      { type: 'divider' },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Stop' }, style: 'danger' }] },
    ]);
    expect(html).toContain('<h2 class="bk-block bk-header">Attune &lt;instruments&gt;</h2>');
    expect(html).toContain('<div class="bk-block bk-context"><span>2 instruments · <b>1 free</b></span></div>');
    expect(html).toContain('<div class="bk-text"><b>attune-1</b> busy</div>');
    expect(html).toContain('<div class="bk-field"><i>User</i></div><div class="bk-field">jsmith</div>');
    expect(html).toContain('<button class="bk-button bk-primary" type="button" disabled>Notify me</button>');
    expect(html).toContain('<hr class="bk-block bk-divider">');
    expect(html).toContain('<button class="bk-button bk-danger" type="button" disabled>Stop</button>');
  });

  it('says which blocks it cannot draw instead of dropping them', () => {
    expect(blockKitToHtml([{ type: 'rich_text', elements: [] }, { type: 'section' }, 'nonsense'])).toBe(
      [
        '<div class="bk-block bk-unsupported">[rich_text block: not shown in this preview]</div>',
        '<div class="bk-block bk-section"><div class="bk-body"></div></div>',
        '<div class="bk-block bk-unsupported">[unknown block: not shown in this preview]</div>',
      ].join('\n'),
    );
  });

  it('loads images only from web addresses', () => {
    expect(blockKitToHtml([{ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x' }])).toContain('src=""');
    expect(blockKitToHtml([{ type: 'image', image_url: 'https://example.org/a.png', alt_text: 'a "chart"' }])).toContain('src="https://example.org/a.png" alt="a &quot;chart&quot;"');
  });
});

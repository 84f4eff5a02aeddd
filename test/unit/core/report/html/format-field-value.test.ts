import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../../functions/core/model.ts';
import { formatFieldValue } from '../../../../../functions/core/report/html/format-field-value.ts';
import { escapeHtml } from '../../../../../functions/core/report/html/escape-html.ts';
import { serializeScriptJson } from '../../../../../functions/core/report/html/serialize-script-json.ts';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('formatFieldValue', () => {
  const cases: Array<{ name: string; value: Json | undefined; secret: boolean; text: string }> = [
    { name: 'absent', value: undefined, secret: false, text: '(absent)' },
    { name: 'number', value: 2, secret: false, text: '2' },
    { name: 'string keeps its quotes', value: 'Normal', secret: false, text: '"Normal"' },
    { name: 'object, compact', value: { a: [1, true, null] }, secret: false, text: '{"a":[1,true,null]}' },
    { name: 'digest shortened', value: DIGEST, secret: true, text: '"sha256:0123456789ab\u2026"' },
    { name: 'digests inside objects shortened', value: { key: DIGEST }, secret: true, text: '{"key":"sha256:0123456789ab\u2026"}' },
    { name: 'secret string that is not a digest withheld', value: 'hunter2', secret: true, text: '"(withheld: not a digest)"' },
    { name: 'secret number withheld', value: 1234, secret: true, text: '"(withheld: not a digest)"' },
    { name: 'long value cut', value: 'x'.repeat(1000), secret: false, text: `"${'x'.repeat(399)}\u2026 (1002 chars)` },
  ];
  it.each(cases)('$name', ({ value, secret, text }) => {
    expect(formatFieldValue(value, secret).text).toBe(text);
  });
});

describe('escapeHtml', () => {
  it('turns every markup-significant character into an entity', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
});

describe('serializeScriptJson', () => {
  it('cannot close the script element and still parses back to the same value', () => {
    const value = { name: '</script><script>alert(1)</script><!--', sep: '\u2028&' };
    const text = serializeScriptJson(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

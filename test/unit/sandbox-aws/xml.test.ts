import { describe, expect, it } from 'vitest';
import { childText, parseXml, renderXmlDocument, XmlSyntaxError } from '../../../functions/sandbox/aws/xml.ts';

describe('parseXml', () => {
  it('reads the document the SDK sends for PutBucketTagging', () => {
    const root = parseXml('<?xml version="1.0" encoding="UTF-8"?><Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a&amp;b</Key><Value>&lt;v&gt;</Value></Tag></TagSet></Tagging>');
    expect(root.name).toBe('Tagging');
    const tag = root.children[0]?.children[0];
    expect(tag && childText(tag, 'Key')).toBe('a&b');
    expect(tag && childText(tag, 'Value')).toBe('<v>');
  });

  it('keeps an empty element as empty text', () => {
    const root = parseXml('<Filter><Prefix></Prefix></Filter>');
    expect(childText(root, 'Prefix')).toBe('');
  });

  it.each([
    { case: 'an unclosed element', text: '<a><b></a>' },
    { case: 'a DTD (no entity expansion)', text: '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>' },
    { case: 'trailing content', text: '<a/><b/>' },
    { case: 'an unknown entity', text: '<a>&nope;</a>' },
  ])('refuses $case', ({ text }) => {
    expect(() => parseXml(text)).toThrow(XmlSyntaxError);
  });
});

describe('renderXmlDocument', () => {
  it('escapes text and omits undefined children', () => {
    expect(renderXmlDocument('R', [['A', 'x<y'], ['B', undefined], ['C', [['D', 1]]]])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><A>x&lt;y</A><C><D>1</D></C></R>',
    );
  });
});

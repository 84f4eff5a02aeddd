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
    { case: 'an HTML entity', text: '<a>&nbsp;</a>' },
    { case: 'a bare ampersand', text: '<a>x & y</a>' },
    { case: 'no root element', text: '   ' },
  ])('refuses $case', ({ text }) => {
    expect(() => parseXml(text)).toThrow(XmlSyntaxError);
  });
});

describe('parseXml with fast-xml-parser underneath', () => {
  it('decodes character references, keeps CDATA and value whitespace as text, drops whitespace between elements and namespace prefixes', () => {
    const root = parseXml('<s3:R xmlns:s3="u">\n  <s3:A k="&#65;">&#65;&#x42; </s3:A>\n  <B><![CDATA[x & <y>]]></B>\n</s3:R>');
    expect(root.name).toBe('R');
    expect(root.children.map((child) => [child.name, child.text, child.attributes])).toEqual([
      ['A', 'AB ', { k: 'A' }],
      ['B', 'x & <y>', {}],
    ]);
    expect(root.text).toBe('');
  });
});

describe('renderXmlDocument', () => {
  it('writes a text root (GetBucketLocation outside us-east-1)', () => {
    expect(renderXmlDocument('LocationConstraint', 'eu-west-1')).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>');
  });

  it('escapes text and omits undefined children', () => {
    expect(renderXmlDocument('R', [['A', 'x<y'], ['B', undefined], ['C', [['D', 1]]]])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><A>x&lt;y</A><C><D>1</D></C></R>',
    );
  });
});

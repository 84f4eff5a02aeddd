// A small XML reader/writer for the S3 REST-XML bodies the AWS SDK sends (no DTDs, no namespaces
// beyond the default xmlns, no mixed content): enough to read request documents and write answers.

/** One element: its local name, attributes, children in order, and its text (children absent). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Thrown for a document that is not well-formed; S3 answers it with MalformedXML. */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined entities and numeric character references. */
export function decodeXmlText(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named = entities[ref];
    if (named === undefined) throw new XmlSyntaxError(`xml: unknown entity ${whole}`);
    return named;
  });
}

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${c === '&' ? 'amp' : c === '<' ? 'lt' : c === '>' ? 'gt' : c === '"' ? 'quot' : 'apos'};`);
}

/** Parses a document into its root element. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const text = source.replace(/^\uFEFF/, '');
  const skipMisc = (): void => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos] ?? '')) pos += 1;
      if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos);
        if (end < 0) throw new XmlSyntaxError('xml: unterminated processing instruction');
        pos = end + 2;
      } else if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos);
        if (end < 0) throw new XmlSyntaxError('xml: unterminated comment');
        pos = end + 3;
      } else if (text.startsWith('<!', pos)) {
        throw new XmlSyntaxError('xml: DTDs are not accepted');
      } else {
        return;
      }
    }
  };
  const readElement = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(pos, pos + 4096));
    if (!open) throw new XmlSyntaxError(`xml: expected an element at offset ${pos}`);
    const qname = open[1] ?? '';
    const element: XmlElement = { name: qname.replace(/^.*:/, ''), attributes: {}, children: [], text: '' };
    for (const attr of (open[2] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      element.attributes[attr[1] ?? ''] = decodeXmlText(attr[2] ?? attr[3] ?? '');
    }
    pos += open[0].length;
    if (open[3] === '/') return element;
    let content = '';
    for (;;) {
      if (pos >= text.length) throw new XmlSyntaxError(`xml: <${qname}> is not closed`);
      if (text.startsWith('</', pos)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(pos, pos + 512));
        if (!close || close[1] !== qname) throw new XmlSyntaxError(`xml: <${qname}> closed by a different tag`);
        pos += close[0].length;
        element.text = element.children.length > 0 ? '' : content;
        return element;
      }
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos);
        if (end < 0) throw new XmlSyntaxError('xml: unterminated comment');
        pos = end + 3;
      } else if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos);
        if (end < 0) throw new XmlSyntaxError('xml: unterminated CDATA');
        content += text.slice(pos + 9, end);
        pos = end + 3;
      } else if (text[pos] === '<') {
        element.children.push(readElement());
      } else {
        const next = text.indexOf('<', pos);
        const end = next < 0 ? text.length : next;
        content += decodeXmlText(text.slice(pos, end));
        pos = end;
      }
    }
  };
  skipMisc();
  const root = readElement();
  skipMisc();
  if (pos !== text.length) throw new XmlSyntaxError('xml: content after the root element');
  return root;
}

/** The children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The text of the only child named `name`, or undefined when absent. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text;
}

/** A value to write: text, a nested list of [name, value] pairs, or undefined (omitted). */
export type XmlValue = string | number | boolean | undefined | XmlNode[];
/** One child to write. */
export type XmlNode = [name: string, value: XmlValue];

/** Renders `<root xmlns=…>children</root>` with the XML declaration S3 writes. */
export function renderXmlDocument(root: string, children: XmlNode[], xmlns = 'http://s3.amazonaws.com/doc/2006-03-01/'): string {
  const ns = xmlns === '' ? '' : ` xmlns="${xmlns}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${renderXmlNodes(children)}</${root}>`;
}

/** Renders a list of nodes (no declaration). */
export function renderXmlNodes(nodes: XmlNode[]): string {
  let out = '';
  for (const [name, value] of nodes) {
    if (value === undefined) continue;
    const inner = Array.isArray(value) ? renderXmlNodes(value) : escapeXml(String(value));
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}

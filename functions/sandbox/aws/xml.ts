import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

// The S3 REST-XML bodies the AWS SDK sends, read and written with fast-xml-parser (issue #12: a
// maintained library, not a hand-written parser). What the library leaves to its caller is checked
// here, because S3 answers each with MalformedXML: a DTD (refused, so no entity is ever expanded), an
// entity other than XML's five predefined ones and character references (fast-xml-parser passes
// `&nope;` through as text; XML 1.0 WFC "Entity Declared"), and more than one root element.

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

/** fast-xml-parser's `preserveOrder` shape: `{ tag: [children], ':@': attributes }`, `{ '#text': … }`, `{ '#cdata': [{ '#text': … }] }`. */
type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // values stay strings, whitespace included: a tag value of " 1 " is not the number 1
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: true,
  processEntities: true,
  // decodes character references (&#65; &#x42;); named HTML entities never get here (checked before)
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
});

const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', suppressEmptyNode: false, processEntities: true });

const allowedEntity = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

function checkEntities(text: string): void {
  // CDATA sections and comments may hold a bare `&`
  const markup = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (let at = markup.indexOf('&'); at >= 0; at = markup.indexOf('&', at + 1)) {
    if (!allowedEntity.test(markup.slice(at, at + 16))) throw new XmlSyntaxError(`xml: undeclared entity or bare "&" at "${markup.slice(at, at + 12)}"`);
  }
}

function textOf(node: OrderedNode): string | undefined {
  if ('#text' in node) return String(node['#text']);
  const cdata = node['#cdata'];
  if (Array.isArray(cdata)) return cdata.map((item) => String((item as OrderedNode)['#text'] ?? '')).join('');
  return undefined;
}

function toElement(node: OrderedNode): XmlElement {
  const name = Object.keys(node).find((key) => key !== ':@') ?? '';
  const children: XmlElement[] = [];
  let text = '';
  const content = node[name];
  for (const child of Array.isArray(content) ? (content as OrderedNode[]) : []) {
    const value = textOf(child);
    if (value === undefined) children.push(toElement(child));
    else text += value;
  }
  const attributes = (node[':@'] ?? {}) as Record<string, string>;
  return { name, attributes, children, text: children.length > 0 ? '' : text };
}

/** Parses a document into its root element. */
export function parseXml(source: string): XmlElement {
  const text = source.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(text)) throw new XmlSyntaxError('xml: DTDs are not accepted');
  checkEntities(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(`xml: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const roots = (parser.parse(text) as OrderedNode[]).filter((node) => textOf(node)?.trim() !== '');
  const [root] = roots;
  if (roots.length !== 1 || root === undefined || textOf(root) !== undefined) throw new XmlSyntaxError('xml: a document has exactly one root element');
  return toElement(root);
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

function toOrdered(nodes: XmlNode[]): OrderedNode[] {
  return nodes.filter(([, value]) => value !== undefined).map(([name, value]) => ({ [name]: Array.isArray(value) ? toOrdered(value) : [{ '#text': String(value) }] }));
}

/** Renders `<root xmlns=…>content</root>` (child elements, or text) with the XML declaration S3 writes. */
export function renderXmlDocument(root: string, content: XmlNode[] | string, xmlns = 'http://s3.amazonaws.com/doc/2006-03-01/'): string {
  const element: OrderedNode = { [root]: typeof content === 'string' ? [{ '#text': content }] : toOrdered(content) };
  if (xmlns !== '') element[':@'] = { xmlns };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build([element]) as string}`;
}

/** Renders a list of nodes (no declaration). */
export function renderXmlNodes(nodes: XmlNode[]): string {
  return builder.build(toOrdered(nodes)) as string;
}

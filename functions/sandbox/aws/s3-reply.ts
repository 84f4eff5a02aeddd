import type { ServerResponse } from 'node:http';
import { renderXmlDocument, renderXmlNodes } from './xml.ts';
import type { XmlNode } from './xml.ts';

// How the emulator answers an S3 request: a reply value, or an S3Error rendered as S3's error XML
// `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` (application/xml; no body on HEAD).
// Source: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

/** A successful answer. */
export interface S3Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An S3 error response: status, Code, Message and the extra elements S3 adds (BucketName, Key, …). */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: XmlNode[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** An XML reply with S3's content type. */
export function replyXml(root: string, children: XmlNode[], status = 200, headers: Record<string, string> = {}): S3Reply {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: renderXmlDocument(root, children) };
}

/** Writes `reply` (or the error) with the request-id headers every S3 answer carries. */
export function sendS3Reply(res: ServerResponse, method: string, requestId: string, reply: S3Reply | S3Error): void {
  res.setHeader('x-amz-request-id', requestId);
  res.setHeader('x-amz-id-2', Buffer.from(`sandbox/${requestId}`).toString('base64'));
  res.setHeader('server', 'AmazonS3');
  if (reply instanceof S3Error) {
    for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
    res.statusCode = reply.status;
    if (method === 'HEAD') {
      res.end();
      return;
    }
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${renderXmlNodes([
      ['Code', reply.code],
      ['Message', reply.message],
      ...reply.extra,
      ['RequestId', requestId],
      ['HostId', Buffer.from(`sandbox/${requestId}`).toString('base64')],
    ])}</Error>`;
    res.setHeader('content-type', 'application/xml');
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
    return;
  }
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.statusCode = reply.status;
  const body = reply.body ?? '';
  if (!res.hasHeader('content-length')) res.setHeader('content-length', Buffer.byteLength(body));
  if (method === 'HEAD') res.end();
  else res.end(body);
}

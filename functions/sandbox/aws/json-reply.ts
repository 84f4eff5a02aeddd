import type { ServerResponse } from 'node:http';

// Answers for the AWS JSON 1.1 protocol (Secrets Manager, SSM): a JSON body with content type
// application/x-amz-json-1.1; errors carry `__type` (and usually `message`) and x-amzn-ErrorType.
// Source: https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html

/** A JSON-protocol error: HTTP status, `__type`, and a message (absent where the service sends none). */
export class JsonServiceError extends Error {
  override readonly name = 'JsonServiceError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string | undefined,
  ) {
    super(message ?? '');
    this.hasMessage = message !== undefined;
  }
  readonly hasMessage: boolean;
}

/** Writes a result or an error with the request id header. */
export function sendJsonReply(res: ServerResponse, requestId: string, reply: { status: number; body: unknown } | JsonServiceError): void {
  res.setHeader('x-amzn-requestid', requestId);
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  let text: string;
  if (reply instanceof JsonServiceError) {
    res.statusCode = reply.status;
    res.setHeader('x-amzn-errortype', `${reply.type}:`);
    text = JSON.stringify(reply.hasMessage ? { __type: reply.type, message: reply.message } : { __type: reply.type });
  } else {
    res.statusCode = reply.status;
    text = JSON.stringify(reply.body);
  }
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** The request document as an object; anything else is the protocol's SerializationException. */
export function parseJsonInput(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new JsonServiceError(400, 'SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JsonServiceError(400, 'SerializationException', 'Start of structure or map found where not expected.');
  }
  return parsed as Record<string, unknown>;
}

/** A required string member; missing → ValidationException as the services word it. */
export function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') {
    throw new JsonServiceError(400, 'ValidationException', `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

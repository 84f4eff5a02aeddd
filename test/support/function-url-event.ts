/**
 * A Lambda Function URL event (payload format 2.0, "Invoking Lambda function URLs" in the Lambda
 * guide) carrying a webhook delivery, as Lambda hands it to the handler: lower-case headers, the
 * body as text (or base64 when `base64` is set).
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';

export function buildFunctionUrlEvent(body: string, headers: Record<string, string>, options: { base64?: boolean } = {}): LambdaFunctionURLEvent {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/test', ...lower },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'regopswebhook',
      domainName: 'regopswebhook.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'regopswebhook',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '140.82.115.1', userAgent: 'GitHub-Hookshot/test' },
      requestId: 'test-request',
      routeKey: '$default',
      stage: '$default',
      time: '15/May/2019:15:19:30 +0000',
      timeEpoch: 1557933570000,
    },
    body: options.base64 === true ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 === true,
  };
}

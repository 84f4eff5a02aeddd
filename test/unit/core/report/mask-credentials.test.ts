import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../functions/core/model.ts';
import { maskCredentials, maskUrlUserInfo } from '../../../../functions/core/report/mask-credentials.ts';
import { renderFieldDiff } from '../../../../functions/core/report/render-field-diff.ts';
import { describeFieldChange } from '../../../../functions/core/report/describe-field-change.ts';

describe('maskCredentials', () => {
  const cases: Array<{ name: string; path: string; value: Json | undefined; masked: Json | undefined }> = [
    { name: 'a proxy field: the whole value', path: 'spec.proxy.http', value: 'http://proxy.acme.internal:3128', masked: '***' },
    { name: 'the proxy map: every string under it', path: 'spec.proxy', value: { http: 'http://u:p@h:1', https: 'https://h', noProxy: '' }, masked: { http: '***', https: '***', noProxy: '' } },
    { name: 'a proxy key inside a map', path: 'spec', value: { proxy: { https: 'https://u:p@h' }, replicas: 2 }, masked: { proxy: { https: '***' }, replicas: 2 } },
    { name: 'a field named like a proxy', path: 'data.httpsProxy', value: 'http://x', masked: '***' },
    { name: 'a URL with user info elsewhere', path: 'spec.storage.s3.regionEndpoint', value: 'https://AKIA:s3cr3t@s3.example.com/x', masked: 'https://***@s3.example.com/x' },
    { name: 'a URL with only a user', path: 'spec.routes[0].hostname', value: 'git+ssh://git@github.com/acme/x', masked: 'git+ssh://***@github.com/acme/x' },
    { name: 'an e-mail address is not a URL', path: 'metadata.annotations.owner', value: 'ops@acme.example', masked: 'ops@acme.example' },
    { name: 'a plain value', path: 'spec.logLevel', value: 'Debug', masked: 'Debug' },
    { name: 'numbers and null kept', path: 'spec.proxy.port', value: 3128, masked: 3128 },
    { name: 'absent stays absent', path: 'spec.proxy.http', value: undefined, masked: undefined },
  ];
  it.each(cases)('$name', ({ path, value, masked }) => {
    expect(maskCredentials(path, value)).toEqual(masked);
  });

  it('masks every URL of a message', () => {
    expect(maskUrlUserInfo('dial http://a:b@one:1 and https://c:d@two failed')).toBe('dial http://***@one:1 and https://***@two failed');
  });

  it('text/Markdown diffs and drift descriptions print the masked value, never the password', () => {
    const change = { path: 'spec.proxy.http', op: 'change' as const, before: 'http://ops:hunter2@proxy:3128', after: 'http://proxy:3128' };
    const lines = renderFieldDiff('Config/cluster', [change]).map((l) => l.text).join('\n');
    expect(lines).toContain('-spec.proxy.http: "***"');
    expect(lines).not.toContain('hunter2');
    expect(describeFieldChange(change)).toEqual({ git: '"***"', live: '"***"' });
  });
});

import { censorRequest, censorResponse, looksLikeCredential, REDACTED } from './log-redaction';

describe(looksLikeCredential.name, () => {
  it.each([
    'authorization',
    'Proxy-Authorization',
    'x-api-key',
    'X_API_Key',
    'x_api_key',
    'X-Api_Key',
    'apiKey',
    'APIKEY',
    'api.key',
    'x-internal-token',
    'X_INTERNAL_TOKEN',
    'token',
    'access-token',
    'Access_Token',
    'x-auth-token',
    'client_secret',
    'password',
    'PassWd',
    'pwd',
    'x-slack-signature',
    'cookie',
    'set-cookie',
    'session',
    'jwt',
    'x-amz-credential',
  ])('treats %s as a credential', (name) => {
    expect(looksLikeCredential(name)).toBe(true);
  });

  it.each([
    'q',
    'query',
    'status',
    'limit',
    'offset',
    'channel_id',
    'slack_user_id',
    'thread_ts',
    'x-request-id',
    'x-slack-user-id',
    'x-slack-request-timestamp',
    'content-type',
    'accept',
    'keep-alive',
    'user-agent',
  ])('leaves %s visible', (name) => {
    expect(looksLikeCredential(name)).toBe(false);
  });
});

describe(censorRequest.name, () => {
  const secret = 'the-secret-value';

  it('censors credential-looking query parameters in the url and the parsed query, whatever their spelling', () => {
    const url = `/api/status?x-api-key=${secret}&X_API_KEY=${secret}&Token=${secret}&q=visible&q=twice`;
    const sut = censorRequest({
      url,
      query: { 'x-api-key': secret, X_API_KEY: secret, Token: secret, q: ['visible', 'twice'] },
      headers: {},
    });
    expect(JSON.stringify(sut)).not.toContain(secret);
    expect(sut.url).toBe(
      `/api/status?x-api-key=${encodeURIComponent(REDACTED)}&X_API_KEY=${encodeURIComponent(REDACTED)}&Token=${encodeURIComponent(REDACTED)}&q=visible&q=twice`,
    );
    expect(sut.query).toEqual({ 'x-api-key': REDACTED, X_API_KEY: REDACTED, Token: REDACTED, q: ['visible', 'twice'] });
  });

  it('censors a percent-encoded parameter name too', () => {
    const sut = censorRequest({ url: `/x?x%2Dapi%2Dkey=${secret}`, headers: {} });
    expect(sut.url).not.toContain(secret);
  });

  it('censors credential-looking headers and never touches the live request headers', () => {
    const headers = { x_api_key: secret, 'x-auth-token': secret, authorization: `Bearer ${secret}`, accept: 'json' };
    const sut = censorRequest({ url: '/x', headers });
    expect(sut.headers).toEqual({
      x_api_key: REDACTED,
      'x-auth-token': REDACTED,
      authorization: REDACTED,
      accept: 'json',
    });
    expect(headers.x_api_key).toBe(secret);
  });
});

describe(censorResponse.name, () => {
  it('censors a cookie or token the response sets', () => {
    const sut = censorResponse({ statusCode: 200, headers: { 'set-cookie': 'sid=abc', 'content-type': 'json' } });
    expect(sut.headers).toEqual({ 'set-cookie': REDACTED, 'content-type': 'json' });
  });
});

export const REDACTED = '[REDACTED]';

/**
 * Words that mark a header or query parameter as carrying a credential, matched in the name with
 * case, `-`, `_`, `.` and spaces removed: `X_API_Key`, `x-api-key`, `apiKey` and `API.KEY` are one name.
 * Erring towards hiding: a harmless `?monkey=` is censored too.
 */
const CREDENTIAL_WORDS = /auth|token|key|secret|passw|pwd|passphrase|signature|cookie|session|credential|bearer|jwt/;

export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_WORDS.test(name.toLowerCase().replace(/[-_.\s]/g, ''));
}

type Headers = Record<string, unknown>;

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  headers?: Headers;
  [field: string]: unknown;
}

interface SerializedResponse {
  headers?: Headers;
  [field: string]: unknown;
}

/** A copy: the serialized request shares its `headers` object with the live request. */
function censorHeaders(headers: Headers | undefined): Headers | undefined {
  if (!headers) return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, looksLikeCredential(name) ? REDACTED : value]),
  );
}

function censorUrl(url: string | undefined): string | undefined {
  const mark = url?.indexOf('?') ?? -1;
  if (!url || mark < 0) return url;
  const params = new URLSearchParams(url.slice(mark + 1));
  if (![...params.keys()].some(looksLikeCredential)) return url;
  const censored = new URLSearchParams();
  for (const [name, value] of params) censored.append(name, looksLikeCredential(name) ? REDACTED : value);
  return `${url.slice(0, mark)}?${censored.toString()}`;
}

/**
 * The logged request with every credential-looking header and query parameter censored, in `url`,
 * `query` and `headers`: a key sent in the wrong place (`?x-api-key=`, `X_API_Key:`) never reaches the log.
 */
export function censorRequest(req: SerializedRequest): SerializedRequest {
  const query = req.query
    ? Object.fromEntries(
        Object.entries(req.query).map(([name, value]) => [name, looksLikeCredential(name) ? REDACTED : value]),
      )
    : req.query;
  return { ...req, url: censorUrl(req.url), query, headers: censorHeaders(req.headers) };
}

export function censorResponse(res: SerializedResponse): SerializedResponse {
  return { ...res, headers: censorHeaders(res.headers) };
}

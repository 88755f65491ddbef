/**
 * Script and markup injection payloads for any free-text input, with prose that must still pass.
 * Use `refusedPayloads()` against an endpoint: every payload must be answered 400 with `details`.
 */

const BASE_PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<body onload="alert(1)">',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  'javascript:alert(document.cookie)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'vbscript:msgbox(1)',
  '<div style="width: expression(alert(1))">',
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)' autofocus='",
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<!--<script>-->alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '<object data="data:text/html,<script>alert(1)</script>">',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">',
];

/** The same attacks hidden behind the encodings a browser or a server might undo. */
const ENCODED_PAYLOADS = [
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%253Cscript%253Ealert(1)%253C%252Fscript%253E',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '&#x3C;img src=x onerror=alert(1)&#x3E;',
  '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)',
  '\\u003cscript\\u003ealert(1)',
  '\\x3cscript\\x3ealert(1)',
  '<scr\u0000ipt>alert(1)</script>',
  'jav&#x09;ascript:alert(1)',
  'java&Tab;script&colon;alert(1)',
];

export const XSS_PAYLOADS: readonly string[] = [...BASE_PAYLOADS, ...ENCODED_PAYLOADS];

/** Operator prose that looks a little like markup and must be accepted. */
export const BENIGN_TEXTS: readonly string[] = [
  'Job PAYROLL ended with rc=12 -> ABEND; rerun after 5 < 6 checks',
  'if a < b and c > d then restart the workstation',
  'The onboarding = done, see runbook section 3',
  'Use the script in /opt/tws/bin to reset the link (not javascript)',
  'Email ops@example.com & open ticket #42',
];

export interface Answer {
  status: number;
  body: { error?: unknown; details?: unknown };
}

/**
 * Sends each payload and returns those NOT refused with a 400 carrying `details`
 * (an empty list means the endpoint holds), so a failure names the payloads that got through.
 */
export async function payloadsNotRefused(
  send: (text: string) => Promise<Answer>,
  payloads: readonly string[] = XSS_PAYLOADS,
): Promise<string[]> {
  const leaked: string[] = [];
  for (const payload of payloads) {
    const answer = await send(payload);
    if (answer.status !== 400 || typeof answer.body.error !== 'string' || !Array.isArray(answer.body.details))
      leaked.push(payload);
  }
  return leaked;
}

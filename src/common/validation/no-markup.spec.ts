import { containsMarkup } from './no-markup';

describe('containsMarkup', () => {
  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg/onload=alert(1)>',
    'click <a href="javascript:alert(1)">here</a>',
    'javascript:alert(document.cookie)',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '&#60;script&#62;alert(1)&#60;/script&#62;',
    '&#x3C;img src=x onerror=alert(1)&#x3E;',
    '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '%253Cscript%253Ealert(1)%253C%252Fscript%253E',
    '<!-- comment -->',
    '<ScRiPt>alert(1)</sCrIpT>',
    '<iframe srcdoc="x">',
    'jav&#x09;ascript:alert(1)',
    '\\u003cscript\\u003ealert(1)',
    'style="width: expression(alert(1))"',
    'data:text/html;base64,PHNjcmlwdD4=',
    '<body onload="x()">',
  ])('rejects %s', (payload) => {
    expect(containsMarkup(payload)).toBe(true);
  });

  it.each([
    'Job PAYROLL#DAILY.EXTRACT abended with rc=12 -> what now?',
    'if count < 5 and load > 3 then hold',
    'is a < b or b > a?',
    'Why is workstation CPU1 unlinked since 02:00?',
    'rerun with 50% less memory & check the log',
    'Use the conman command: sj @#@.@;info',
    'the onboarding = done, what is next?',
  ])('accepts operator prose %s', (text) => {
    expect(containsMarkup(text)).toBe(false);
  });
});

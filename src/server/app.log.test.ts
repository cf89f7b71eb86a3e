import { describe, expect, it } from 'vitest';
import { requestForLog } from './app.js';

describe('request logs', () => {
  it('keep no address and no code for survey respondents', () => {
    const line = requestForLog({ method: 'GET', url: '/api/public/surveys/ABCD2345EFGH?lang=fr', host: 'x', ip: '203.0.113.9', socket: { remotePort: 5555 } });
    expect(line).toEqual({ method: 'GET', url: '/api/public/surveys/…?lang=fr' });
    expect(requestForLog({ method: 'GET', url: '/s/ALDERCREEK', ip: '203.0.113.9' })).toEqual({ method: 'GET', url: '/s/…' });
    expect(requestForLog({ method: 'POST', url: '/api/public/responses', ip: '203.0.113.9' })).toEqual({ method: 'POST', url: '/api/public/responses' });
    // Nor for the page's own files, which a respondent's browser fetches beside those calls.
    expect(requestForLog({ method: 'GET', url: '/assets/respondent-abc123.js', ip: '203.0.113.9' })).toEqual({ method: 'GET', url: '/assets/respondent-abc123.js' });
  });

  it('keep the address for everyone else (security reviews need it)', () => {
    expect(requestForLog({ method: 'GET', url: '/api/orgs/1', host: 'x', ip: '203.0.113.9', socket: { remotePort: 5555 } })).toEqual({ method: 'GET', url: '/api/orgs/1', host: 'x', remoteAddress: '203.0.113.9', remotePort: 5555 });
  });
});

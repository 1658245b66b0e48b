import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handshake, sign, verifySignature } from '../../src/webhooks/verify.js';

const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const hex = (secret: string, raw: Buffer = body) => createHmac('sha256', secret).update(raw).digest('hex');

describe('verifySignature', () => {
  const cases: Array<[string, string | undefined, string[], boolean]> = [
    ['valid', `sha256=${hex('s1')}`, ['s1'], true],
    ['upper-case hex', `sha256=${hex('s1').toUpperCase()}`, ['s1'], true],
    ['second secret (rotation)', `sha256=${hex('new')}`, ['old', 'new'], true],
    ['first secret (rotation)', `sha256=${hex('old')}`, ['old', 'new'], true],
    ['wrong secret', `sha256=${hex('other')}`, ['s1'], false],
    ['missing header', undefined, ['s1'], false],
    ['no secret configured', `sha256=${hex('s1')}`, [], false],
    ['empty secret never matches', `sha256=${createHmac('sha256', '').update(body).digest('hex')}`, [''], false],
    ['sha1 header format', `sha1=${hex('s1')}`, ['s1'], false],
    ['no prefix', hex('s1'), ['s1'], false],
    ['short hex', `sha256=${hex('s1').slice(0, 40)}`, ['s1'], false],
    ['not hex', `sha256=${'z'.repeat(64)}`, ['s1'], false],
    ['signature of other bytes', `sha256=${hex('s1', Buffer.from('{}'))}`, ['s1'], false],
  ];
  it.each(cases)('%s', (_name, header, secrets, ok) => {
    expect(verifySignature(body, header, secrets)).toBe(ok);
  });

  it('sign() produces what Meta sends', () => {
    expect(sign(body, 's1')).toBe(`sha256=${hex('s1')}`);
    expect(verifySignature(body, sign(body, 's1'), ['s1'])).toBe(true);
  });
});

describe('handshake', () => {
  const q = (s: string) => new URLSearchParams(s);
  const cases: Array<[string, string, string | undefined, string | undefined]> = [
    [
      'subscribe with the right token',
      'hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1158201444',
      'tok',
      '1158201444',
    ],
    ['wrong token', 'hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1', 'tok', undefined],
    ['token prefix', 'hub.mode=subscribe&hub.verify_token=to&hub.challenge=1', 'tok', undefined],
    ['wrong mode', 'hub.mode=unsubscribe&hub.verify_token=tok&hub.challenge=1', 'tok', undefined],
    ['no challenge', 'hub.mode=subscribe&hub.verify_token=tok', 'tok', undefined],
    ['no token configured', 'hub.mode=subscribe&hub.verify_token=&hub.challenge=1', undefined, undefined],
    ['empty challenge is echoed', 'hub.mode=subscribe&hub.verify_token=tok&hub.challenge=', 'tok', ''],
  ];
  it.each(cases)('%s', (_name, query, token, expected) => {
    expect(handshake(q(query), token)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import type { UnknownEnum } from '../../src/sources/graph/enums.js';
import { normEnum } from '../../src/sources/graph/enums.js';
import {
  parseBusinessLimit,
  parseDebugToken,
  parsePhone,
  parseTemplate,
  parseWaba,
} from '../../src/sources/graph/parse.js';

const PHONE = {
  id: '106540352242922',
  display_phone_number: '+1 555-078-3881',
  verified_name: 'Lucky Shrub',
  quality_rating: 'GREEN',
  status: 'CONNECTED',
  name_status: 'APPROVED',
  platform_type: 'CLOUD_API',
  throughput: { level: 'STANDARD' },
  whatsapp_business_manager_messaging_limit: 'TIER_10K',
  messaging_limit_tier: 'TIER_10K',
  health_status: { can_send_message: 'AVAILABLE', entities: [] },
};

describe('parsePhone', () => {
  it('maps every field of a Meta phone number node', () => {
    const u: UnknownEnum[] = [];
    expect(parsePhone(PHONE, 'w1', 'b1', u)).toEqual({
      id: '106540352242922',
      wabaId: 'w1',
      businessId: 'b1',
      displayPhoneNumber: '+1 555-078-3881',
      verifiedName: 'Lucky Shrub',
      platformType: 'CLOUD_API',
      status: 'CONNECTED',
      nameStatus: 'APPROVED',
      qualityRating: 'GREEN',
      health: 'AVAILABLE',
      throughput: 'STANDARD',
      legacyTier: 'TIER_10K',
      portfolioTier: 'TIER_10K',
    });
    expect(u).toEqual([]);
  });

  it.each([
    [{ quality_rating: 'NA' }, 'UNKNOWN', []],
    [{ quality_rating: 'yellow' }, 'YELLOW', []],
    [{ quality_rating: undefined, quality_score: { score: 'RED' } }, 'RED', []],
    // The number carrying it is named: it is counted once per object (src/metrics/self.ts).
    [{ quality_rating: 'PURPLE' }, 'PURPLE', [{ field: 'quality_rating', value: 'PURPLE', object: PHONE.id }]],
    [{ quality_rating: 42 }, undefined, []],
  ])('quality %j → %s', (patch, rating, unknown) => {
    const u: UnknownEnum[] = [];
    expect(parsePhone({ ...PHONE, ...patch }, 'w', 'b', u)?.qualityRating).toBe(rating);
    expect(u).toEqual(unknown);
  });

  it('returns undefined without an id and never throws on junk', () => {
    for (const junk of [null, 1, 'x', [], {}, { id: null }]) expect(parsePhone(junk, 'w', 'b', [])).toBeUndefined();
  });

  it('passes legacy tiers through without counting them unknown', () => {
    const u: UnknownEnum[] = [];
    expect(parsePhone({ ...PHONE, messaging_limit_tier: 'TIER_1K' }, 'w', 'b', u)?.legacyTier).toBe('TIER_1K');
    expect(u).toEqual([]);
  });
});

describe('parseWaba', () => {
  const WABA = {
    id: '102290129340398',
    name: 'Lucky Shrub Support',
    currency: 'usd',
    timezone_id: '1',
    account_review_status: 'APPROVED',
    owner_business_info: { id: '506914307656634', name: 'LS' },
  };

  it('takes the owner business over the listing business and dedupes phone ids', () => {
    const w = parseWaba(WABA, [PHONE, PHONE, { ...PHONE, id: '2' }], { businessId: '999', via: 'client' }, []);
    expect(w?.businessId).toBe('506914307656634');
    expect(w?.owner).toBe('owner_business_info');
    // Listed as a client WABA of another portfolio: that portfolio is its partner, not its owner.
    expect(w?.sharedWithBusinessId).toBe('999');
    expect(w?.currency).toBe('USD');
    expect(w?.phones.map((p) => [p.id, p.wabaId, p.businessId])).toEqual([
      ['106540352242922', '102290129340398', '506914307656634'],
      ['2', '102290129340398', '506914307656634'],
    ]);
  });

  it('without owner_business_info: on_behalf_of_business_info (the spec), then an owned listing, else unresolved', () => {
    const behalf = parseWaba(
      { id: '1', on_behalf_of_business_info: { id: '77', name: 'Client' } },
      [],
      {
        businessId: '999',
        via: 'client',
      },
      [],
    );
    expect([behalf?.businessId, behalf?.owner, behalf?.businessName, behalf?.sharedWithBusinessId]).toEqual([
      '77',
      'on_behalf_of_business_info',
      'Client',
      '999',
    ]);
    const owned = parseWaba({ id: '1' }, [], { businessId: '999', via: 'owned' }, []);
    expect([owned?.businessId, owned?.owner, owned?.sharedWithBusinessId]).toEqual(['999', 'owned_listing', undefined]);
    // A client WABA without either field is not the partner's: its owner is unknown (and counted), never "".
    const client = parseWaba(
      { id: '1', phone_numbers: undefined },
      [{ id: '5' }],
      { businessId: '999', via: 'client' },
      [],
    );
    expect([client?.businessId, client?.owner, client?.phones[0]?.businessId]).toEqual([
      'unknown',
      'unresolved',
      'unknown',
    ]);
    expect(parseWaba({ id: '1' }, [], undefined, [])?.businessId).toBe('unknown');
  });

  it('reads the spec fields of WABAs and numbers, counting values it does not know', () => {
    const u: UnknownEnum[] = [];
    const w = parseWaba(
      { id: '1', business_verification_status: 'verified', ownership_type: 'CLIENT_OWNED' },
      [
        {
          id: '5',
          account_mode: 'SANDBOX',
          code_verification_status: 'NOT_VERIFIED',
          unified_cert_status: 'LIMITED_ACCESS',
          is_official_business_account: true,
          host_platform: 'ON_PREMISE',
        },
        { id: '6', account_mode: 'TESTING', is_official_business_account: 'yes' },
      ],
      { businessId: '9', via: 'owned' },
      u,
    );
    expect([w?.businessVerificationStatus, w?.ownershipType]).toEqual(['VERIFIED', 'CLIENT_OWNED']);
    const [a, b] = w?.phones ?? [];
    expect([
      a?.accountMode,
      a?.codeVerificationStatus,
      a?.unifiedCertStatus,
      a?.officialBusinessAccount,
      a?.hostPlatform,
    ]).toEqual(['SANDBOX', 'NOT_VERIFIED', 'LIMITED_ACCESS', true, 'ON_PREMISE']);
    expect([b?.accountMode, b?.officialBusinessAccount]).toEqual(['TESTING', undefined]);
    expect(u).toEqual([{ field: 'account_mode', value: 'TESTING', object: '6' }]);
  });
});

describe('templates, limits, token', () => {
  it('parses a template with quality', () => {
    const u: UnknownEnum[] = [];
    expect(
      parseTemplate(
        {
          id: '9',
          name: 'order_update',
          language: 'en_US',
          status: 'PAUSED',
          category: 'UTILITY',
          quality_score: { score: 'RED', date: 1 },
        },
        u,
      ),
    ).toEqual({
      id: '9',
      name: 'order_update',
      language: 'en_US',
      status: 'PAUSED',
      category: 'UTILITY',
      quality: 'RED',
    });
    expect(parseTemplate({ name: 'x', status: 'SOMETHING_NEW' }, u)?.status).toBe('SOMETHING_NEW');
    // A template without an id is named by its name and language.
    expect(u).toEqual([{ field: 'template_status', value: 'SOMETHING_NEW', object: 'x/' }]);
  });

  it('parses the portfolio limit; absent field = undefined', () => {
    expect(parseBusinessLimit({ id: '5', whatsapp_business_manager_messaging_limit: 'TIER_2K' }, '5', [])).toEqual({
      businessId: '5',
      tier: 'TIER_2K',
    });
    expect(parseBusinessLimit({ id: '5' }, '5', [])).toEqual({ businessId: '5', tier: undefined });
  });

  it.each([
    [{ data: { is_valid: true, expires_at: 0 } }, { credential: 'c', valid: true, expiresAt: Infinity }],
    [{ data: { is_valid: true, expires_at: 1800000000 } }, { credential: 'c', valid: true, expiresAt: 1800000000 }],
    [
      { data: { is_valid: false, expires_at: 1700000000, error: { code: 190 } } },
      { credential: 'c', valid: false, expiresAt: 1700000000 },
    ],
    [{ data: { is_valid: true } }, { credential: 'c', valid: true, expiresAt: undefined }],
    [{ data: {} }, undefined],
    ['<html>', undefined],
  ])('debug_token %j', (raw, expected) => expect(parseDebugToken(raw, 'c')).toEqual(expected));
});

describe('normEnum', () => {
  it('trims, upper-cases and reports unknowns once per call', () => {
    const u: UnknownEnum[] = [];
    expect(normEnum('status', ' connected ', u)).toBe('CONNECTED');
    expect(normEnum('status', 'ON_HOLD', u)).toBe('ON_HOLD');
    expect(normEnum('status', '', u)).toBeUndefined();
    expect(u).toEqual([{ field: 'status', value: 'ON_HOLD' }]);
  });
});

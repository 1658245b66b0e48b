/**
 * Derives `health_status` (META-API §1.2) from the state, so patching a number to RED or
 * DISCONNECTED changes its health like it would at Meta. A stored `health_status` (patched by a
 * test) wins over the derived one; that happens in the node table, not here.
 */
import type { SandboxState } from './state.js';
import { SANDBOX_APP_ID, type PhoneEntry, type WabaEntry } from './types.js';

type Level = 'AVAILABLE' | 'LIMITED' | 'BLOCKED';
interface Entity {
  entity_type: 'PHONE_NUMBER' | 'WABA' | 'BUSINESS' | 'APP';
  id: string;
  can_send_message: Level;
  can_receive_call_sip?: Level;
  additional_info?: string[];
  errors?: { error_code: number; error_description: string; possible_solution: string }[];
}
export interface HealthStatus {
  can_send_message: Level;
  entities: Entity[];
}

const BLOCKED_PHONE = new Set(['BANNED', 'DELETED', 'DISCONNECTED', 'UNVERIFIED', 'MIGRATED']);
const LIMITED_PHONE = new Set(['RESTRICTED', 'RATE_LIMITED', 'FLAGGED', 'PENDING']);
const NAME_OK = new Set(['APPROVED', 'AVAILABLE_WITHOUT_REVIEW']);

export function phoneHealth(p: PhoneEntry, state: SandboxState): HealthStatus {
  const w = p.wire;
  const phone: Entity = {
    entity_type: 'PHONE_NUMBER',
    id: w.id,
    can_send_message: 'AVAILABLE',
    can_receive_call_sip: 'AVAILABLE',
  };
  const info: string[] = [];
  if (w.quality_rating === 'RED') info.push('The phone number quality rating is low; messaging is limited.');
  if (LIMITED_PHONE.has(String(w.status))) info.push(`The phone number status is ${String(w.status)}.`);
  if (!NAME_OK.has(String(w.name_status))) info.push("Your display name hasn't been approved yet.");
  if (BLOCKED_PHONE.has(String(w.status))) {
    phone.can_send_message = 'BLOCKED';
    phone.errors = [
      {
        error_code: 133010,
        error_description: 'The phone number is not registered on the Cloud API.',
        possible_solution: 'Register the phone number.',
      },
    ];
  } else if (info.length > 0) {
    phone.can_send_message = 'LIMITED';
    phone.additional_info = info;
  }
  const waba = state.waba(p.wabaId);
  return aggregate([phone, ...(waba ? upstream(waba, state) : [appEntity()])]);
}

export function wabaHealth(waba: WabaEntry, state: SandboxState): HealthStatus {
  return aggregate(upstream(waba, state));
}

function upstream(waba: WabaEntry, state: SandboxState): Entity[] {
  const review = String(waba.wire.account_review_status);
  const entity: Entity = { entity_type: 'WABA', id: waba.wire.id, can_send_message: 'AVAILABLE' };
  if (review === 'REJECTED') {
    entity.can_send_message = 'BLOCKED';
    entity.errors = [
      {
        error_code: 141006,
        error_description: 'The WhatsApp Business Account was rejected in review.',
        possible_solution: 'Request a review in WhatsApp Manager.',
      },
    ];
  } else if (review !== 'APPROVED') {
    entity.can_send_message = 'LIMITED';
    entity.additional_info = [`The WhatsApp Business Account review is ${review}.`];
  }
  return [
    entity,
    {
      entity_type: 'BUSINESS',
      id: state.business(waba.businessId)?.wire.id ?? waba.businessId,
      can_send_message: 'AVAILABLE',
    },
    appEntity(),
  ];
}

function appEntity(): Entity {
  return { entity_type: 'APP', id: SANDBOX_APP_ID, can_send_message: 'AVAILABLE', can_receive_call_sip: 'AVAILABLE' };
}

/** Any BLOCKED → BLOCKED, else any LIMITED → LIMITED, else AVAILABLE (Meta's rule). */
function aggregate(entities: Entity[]): HealthStatus {
  const levels = new Set(entities.map((e) => e.can_send_message));
  const can_send_message: Level = levels.has('BLOCKED') ? 'BLOCKED' : levels.has('LIMITED') ? 'LIMITED' : 'AVAILABLE';
  return { can_send_message, entities };
}

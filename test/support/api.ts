import { expect } from 'vitest';
import { PHX, TENANCY, type World } from './world';

export const CONTROL = (region = PHX): string => `/${region}/20170907`;

export interface WireSender {
  id: string;
  compartmentId: string;
  emailAddress: string;
  lifecycleState: string;
  isSpf: boolean;
  timeCreated: string;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

export interface WireSuppression {
  id: string;
  compartmentId: string;
  emailAddress: string;
  reason: string;
  timeCreated: string;
  timeLastSuppressed?: string;
}

export interface OciErrorBody {
  code: string;
  message: string;
}

export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export async function createSender(
  world: World,
  emailAddress: string,
  region = PHX,
  extra: Record<string, unknown> = {},
): Promise<WireSender> {
  const response = await world.request('POST', `${CONTROL(region)}/senders`, {
    compartmentId: TENANCY,
    emailAddress,
    ...extra,
  });
  expect(response.status).toBe(200);
  return json<WireSender>(response);
}

export async function createSuppression(
  world: World,
  emailAddress: string,
  region = PHX,
): Promise<WireSuppression> {
  const response = await world.request('POST', `${CONTROL(region)}/suppressions`, {
    compartmentId: TENANCY,
    emailAddress,
  });
  expect(response.status).toBe(200);
  return json<WireSuppression>(response);
}

/** Asserts an OCI error answer: status, code, and a non-empty message. */
export async function expectOciError(
  response: Response,
  status: number,
  code: string,
): Promise<OciErrorBody> {
  const body = await json<OciErrorBody>(response);
  expect({ status: response.status, code: body.code }).toEqual({ status, code });
  expect(body.message.length).toBeGreaterThan(0);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('opc-request-id')).toBeTruthy();
  return body;
}

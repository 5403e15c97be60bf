import type {
  ApiKey,
  Compartment,
  Group,
  Membership,
  Policy,
  SmtpCredential,
  User,
} from '../domain/identity/ports';
import type { Caller } from '../domain/ports';

/** OCI timestamps: RFC 3339 in UTC with milliseconds. */
const time = (date: Date): string => date.toISOString();

export function compartmentWire(compartment: Compartment) {
  return {
    id: compartment.id,
    compartmentId: compartment.parentId,
    name: compartment.name,
    description: compartment.description,
    timeCreated: time(compartment.timeCreated),
    lifecycleState: compartment.lifecycleState,
    freeformTags: compartment.freeformTags,
    definedTags: compartment.definedTags,
  };
}

/** What this service lets a user do: a console password, API keys and SMTP credentials. */
const userCapabilities = {
  canUseConsolePassword: true,
  canUseApiKeys: true,
  canUseAuthTokens: false,
  canUseSmtpCredentials: true,
  canUseCustomerSecretKeys: false,
  canUseOAuth2ClientCredentials: false,
  canUseDbCredentials: false,
};

export function userWire(caller: Caller, user: User) {
  return {
    id: user.id,
    compartmentId: caller.tenancyId,
    name: user.name,
    description: user.description,
    ...(user.email === null ? {} : { email: user.email }),
    emailVerified: false,
    timeCreated: time(user.timeCreated),
    lifecycleState: 'ACTIVE',
    freeformTags: user.freeformTags,
    definedTags: user.definedTags,
    capabilities: userCapabilities,
    isMfaActivated: false,
  };
}

export function groupWire(caller: Caller, group: Group) {
  return {
    id: group.id,
    compartmentId: caller.tenancyId,
    name: group.name,
    description: group.description,
    timeCreated: time(group.timeCreated),
    lifecycleState: 'ACTIVE',
    freeformTags: group.freeformTags,
    definedTags: group.definedTags,
  };
}

export function membershipWire(caller: Caller, membership: Membership) {
  return {
    id: membership.id,
    compartmentId: caller.tenancyId,
    groupId: membership.groupId,
    userId: membership.userId,
    timeCreated: time(membership.timeCreated),
    lifecycleState: 'ACTIVE',
  };
}

export function policyWire(policy: Policy) {
  return {
    id: policy.id,
    compartmentId: policy.compartmentId,
    name: policy.name,
    statements: policy.statements,
    description: policy.description,
    timeCreated: time(policy.timeCreated),
    lifecycleState: 'ACTIVE',
    ...(policy.versionDate ? { versionDate: time(policy.versionDate) } : {}),
    freeformTags: policy.freeformTags,
    definedTags: policy.definedTags,
  };
}

export function apiKeyWire(caller: Caller, key: ApiKey) {
  return {
    keyId: `${caller.tenancyId}/${key.userId}/${key.fingerprint}`,
    keyValue: key.keyValue,
    fingerprint: key.fingerprint,
    userId: key.userId,
    timeCreated: time(key.timeCreated),
    lifecycleState: 'ACTIVE',
  };
}

/** The summary never carries the password, nor its hash. */
export function smtpCredentialSummaryWire(credential: SmtpCredential) {
  return {
    username: credential.username,
    id: credential.id,
    userId: credential.userId,
    description: credential.description,
    timeCreated: time(credential.timeCreated),
    lifecycleState: 'ACTIVE',
  };
}

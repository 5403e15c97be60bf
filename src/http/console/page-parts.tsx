import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { DomainError } from '../../domain/errors';
import { listCompartments } from '../../domain/identity/compartments/list';
import type { IdentityStore } from '../../domain/identity/ports';
import type { Resolver, Runtime } from '../../domain/ports';
import type { Regions } from '../../domain/regions';
import type { SubmitAddresses } from '../routes/configuration';
import { field, formOf, type ConsoleEnv, type Form } from './console-env';
import { Dialog, type PageFrame } from './layout';
import type { MessageKey, Messages } from './messages';

export interface ConsolePageDeps extends SubmitAddresses {
  runtime: Runtime;
  regions: Regions;
  identity: IdentityStore;
  resolver: Resolver;
  spfIncludes: readonly string[];
}

export type C = Context<ConsoleEnv>;
const MAX_COMPARTMENTS = 100;

export const time = (date: Date) => date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/**
 * The region and compartment a page is for: from the posted form (a page rendered again after a refusal
 * keeps them), else its query, defaulting to the first region and the tenancy.
 */
export async function scopeOf(deps: ConsolePageDeps, c: C) {
  const form = c.req.method === 'POST' ? await formOf(c) : undefined;
  const asked = (name: string) => (form ? field(form, name) : undefined) ?? c.req.query(name);
  const regionId = asked('region') ?? deps.regions.enabled[0] ?? '';
  const region = await deps.regions.open(regionId);
  const caller = c.var.caller;
  const compartmentId = asked('compartment') ?? caller.tenancyId;
  return { region, compartmentId };
}

/** Every active compartment below the tenancy the caller may see, by name; or why none may be seen. */
export const visibleCompartments = (deps: ConsolePageDeps, caller: C['var']['caller']) =>
  attempt(() =>
    listCompartments(
      deps.identity,
      caller,
      { compartmentId: caller.tenancyId, compartmentIdInSubtree: true, lifecycleState: 'ACTIVE' },
      { sortBy: 'NAME', sortOrder: 'ASC', limit: MAX_COMPARTMENTS },
    ),
  );

/** The frame around a page: the pickers list the compartments the user may see, the tenancy first. */
export async function frameOf(
  deps: ConsolePageDeps,
  c: C,
  title: string,
  path: string,
  region: string,
  compartmentId: string,
  /** The compartments, when the page has listed them already. */
  listed?: Awaited<ReturnType<typeof visibleCompartments>>,
) {
  const caller = c.var.caller;
  const found = listed ?? (await visibleCompartments(deps, caller));
  const compartments =
    'value' in found ? found.value.items.map((item) => ({ id: item.id, name: item.name })) : [];
  const frame: PageFrame = {
    t: c.var.t,
    lang: c.var.lang,
    title,
    path,
    userName: c.var.session.userName,
    csrf: c.var.csrf,
    regions: deps.regions.enabled,
    region,
    compartments: [{ id: caller.tenancyId, name: `${c.var.t.compartment}: root` }, ...compartments],
    compartmentId,
  };
  return frame;
}

/** A page about one named thing: the thing (or why it cannot be shown) and the frame titled with its name. */
export async function detailOf<T extends { name: string }>(
  deps: ConsolePageDeps,
  c: C,
  section: { title: string; path: string },
  get: (id: string) => Promise<T>,
) {
  const { region, compartmentId } = await scopeOf(deps, c);
  const id = c.req.param('id') ?? '';
  const found = await attempt(() => get(id));
  const title = 'value' in found ? found.value.name : section.title;
  const frame = await frameOf(deps, c, title, section.path, region.id, compartmentId);
  return { id, found, frame, region, compartmentId };
}

/** Runs a domain verb; its refusal becomes the page's error notice instead of an error page. */
export async function attempt<T>(run: () => Promise<T>): Promise<{ value: T } | { error: DomainError }> {
  try {
    return { value: await run() };
  } catch (error) {
    if (error instanceof DomainError) return { error };
    throw error;
  }
}

export const CsrfField = (props: { csrf: string }) => <input type="hidden" name="_csrf" value={props.csrf} />;
export const ScopeFields = (props: { region: string; compartmentId: string }) => (
  <>
    <input type="hidden" name="region" value={props.region} />
    <input type="hidden" name="compartment" value={props.compartmentId} />
  </>
);

/** A row's delete button: a form of its own, with the CSRF token and the page's region and compartment. */
export function DeleteForm(props: {
  t: Messages;
  frame: PageFrame;
  action: string;
  label: string;
  verb?: string;
}) {
  const verb = props.verb ?? props.t.delete;
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField csrf={props.frame.csrf} />
      <ScopeFields region={props.frame.region} compartmentId={props.frame.compartmentId} />
      <button type="submit" class="danger" aria-label={`${verb} ${props.label}`}>
        {verb}
      </button>
    </form>
  );
}

/** A value to copy (a DNS record, a password), with its label and a copy button. */
export function Record(props: { t: Messages; id: string; label: string; value: string }) {
  return (
    <div class="field">
      <p>
        <strong id={`${props.id}-label`}>{props.label}</strong>
      </p>
      <div class="record">
        <code id={props.id} aria-labelledby={`${props.id}-label`}>
          {props.value}
        </code>
        <button
          type="button"
          data-copy={props.id}
          data-copied={props.t.copied}
          aria-label={`${props.t.copy}: ${props.label}`}
        >
          {props.t.copy}
        </button>
      </div>
    </div>
  );
}

/** A toolbar link that opens a dialog: with script as a modal, without it as a page with the dialog open. */
export function OpenDialogLink(props: { dialog: string; href: string; label: string }) {
  return (
    <a class="button primary" href={props.href} data-open-dialog={props.dialog}>
      {props.label}
    </a>
  );
}

/**
 * A dialog holding one form that creates something: it posts with the CSRF token and the page's region and
 * compartment, and is rendered open again with the refusal when the domain says no.
 */
export function FormDialog(props: {
  t: Messages;
  id: string;
  title: string;
  action: string;
  frame: PageFrame;
  open: boolean;
  cancelHref: string;
  error?: string | undefined;
  submitLabel?: string;
  children: Child;
}) {
  return (
    <Dialog id={props.id} title={props.title} open={props.open}>
      {props.error && (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action={props.action}>
        <CsrfField csrf={props.frame.csrf} />
        <ScopeFields region={props.frame.region} compartmentId={props.frame.compartmentId} />
        {props.children}
        <div class="dialog-actions">
          <a class="button" href={props.cancelHref} data-close-dialog="">
            {props.t.cancel}
          </a>
          <button type="submit" class="primary">
            {props.submitLabel ?? props.t.create}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A labelled one-line text field. */
export function TextField(props: {
  id: string;
  name: string;
  label: string;
  value?: string | undefined;
  type?: 'text' | 'email';
  maxlength?: number;
  autocomplete?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        required
        maxlength={props.maxlength}
        autocomplete={props.autocomplete}
        value={props.value ?? ''}
      />
    </div>
  );
}

export const MAX_NAME = 100;
export const MAX_DESCRIPTION = 400;

/** The name and description every identity resource is created with. */
export function NameFields(props: { t: Messages; prefix: string; name?: string; description?: string }) {
  return (
    <>
      <TextField
        id={`${props.prefix}-name`}
        name="name"
        label={props.t.name}
        value={props.name}
        maxlength={MAX_NAME}
      />
      <TextField
        id={`${props.prefix}-description`}
        name="description"
        label={props.t.description}
        value={props.description}
        maxlength={MAX_DESCRIPTION}
      />
    </>
  );
}

/** The name and description of a posted create form, cut to their limits. */
export const namedInput = (form: Form) => ({
  name: (field(form, 'name') ?? '').trim().slice(0, MAX_NAME),
  description: (field(form, 'description') ?? '').slice(0, MAX_DESCRIPTION),
});

/** The notice of a page reached after a change (`?done=...`), in the page's language. */
export function doneNotice(c: C, notices: Record<string, MessageKey>): PageFrame['notice'] {
  const done = c.req.query('done') ?? '';
  const key = Object.hasOwn(notices, done) ? notices[done] : undefined;
  return key ? { text: c.var.t[key] } : undefined;
}

/** A list's search by email address, keeping the page's region and compartment; `children` adds fields. */
export function SearchForm(props: {
  t: Messages;
  action: string;
  frame: PageFrame;
  search: string;
  children?: Child;
}) {
  return (
    <form method="get" action={props.action} role="search">
      <ScopeFields region={props.frame.region} compartmentId={props.frame.compartmentId} />
      <div>
        <label for="q">{props.t.searchByEmail}</label>
        <input id="q" name="q" type="text" value={props.search} />
      </div>
      {props.children}
      <button type="submit">{props.t.search}</button>
    </form>
  );
}

/** A list page's notice: that the list may not be seen, else what the page was given to say. */
export const listNotice = (t: Messages, result: object, notice: PageFrame['notice']): PageFrame['notice'] =>
  'error' in result ? { text: t.notFound, error: true } : notice;

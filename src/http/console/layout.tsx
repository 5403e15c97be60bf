import type { Child } from 'hono/jsx';
import type { Language, Messages } from './messages';

/** What every page of a signed-in user shows around its content. */
export interface PageFrame {
  t: Messages;
  lang: Language;
  title: string;
  /** The page's path, for the navigation's current item and the pickers' forms. */
  path: string;
  userName: string;
  csrf: string;
  regions: readonly string[];
  region: string;
  compartments: { id: string; name: string }[];
  compartmentId: string;
  notice?: { text: string; error?: boolean } | undefined;
}

/** The document every console page is: one stylesheet, one script, nothing from another origin. */
export function Document(props: { lang: Language; title: string; children: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

export const query = (params: Record<string, string | undefined>) =>
  Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');

/** A signed-in page: header with the region and compartment pickers, the navigation, the content. */
export function Page(props: PageFrame & { children: Child }) {
  const { t, region, compartmentId } = props;
  const scope = query({ region, compartment: compartmentId });
  const nav: [string, [string, string][]][] = [
    [
      t.serviceName,
      [
        ['/console/senders', t.approvedSenders],
        ['/console/suppressions', t.suppressionList],
        ['/console/configuration', t.emailConfiguration],
        ['/console/messages', t.messages],
      ],
    ],
    [
      t.identity,
      [
        ['/console/compartments', t.compartments],
        ['/console/users', t.users],
        ['/console/groups', t.groups],
        ['/console/policies', t.policies],
      ],
    ],
  ];
  return (
    <Document lang={props.lang} title={`${props.title} – ${t.serviceName}`}>
      <a class="skip" href="#content">
        {t.skipToContent}
      </a>
      <header class="top">
        <span class="brand">{t.serviceName}</span>
        <form method="get" action={props.path}>
          <label for="region-picker">{t.region}</label>
          <select id="region-picker" name="region">
            {props.regions.map((id) => (
              <option value={id} selected={id === region}>
                {id}
              </option>
            ))}
          </select>
          <label for="compartment-picker">{t.compartment}</label>
          <select id="compartment-picker" name="compartment">
            {props.compartments.map((c) => (
              <option value={c.id} selected={c.id === compartmentId}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit">{t.change}</button>
        </form>
        <span>
          <a
            href={`${props.path}?${query({ region, compartment: compartmentId, lang: props.lang === 'en' ? 'ja' : 'en' })}`}
            lang={props.lang === 'en' ? 'ja' : 'en'}
          >
            {props.lang === 'en' ? '日本語' : 'English'}
          </a>
        </span>
        <form method="post" action="/console/sign-out">
          <span>
            {t.signedInAs} {props.userName}
          </span>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <button type="submit">{t.signOut}</button>
        </form>
      </header>
      <div class="layout">
        <nav class="side" aria-label={t.navigation}>
          {nav.map(([heading, links]) => (
            <>
              <p class="nav-heading">{heading}</p>
              <ul>
                {links.map(([href, label]) => (
                  <li>
                    <a href={`${href}?${scope}`} aria-current={href === props.path ? 'page' : undefined}>
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ))}
        </nav>
        <main id="content">
          <h1>{props.title}</h1>
          {props.notice && (
            <p
              class={props.notice.error ? 'notice error' : 'notice'}
              role={props.notice.error ? 'alert' : 'status'}
            >
              {props.notice.text}
            </p>
          )}
          {props.children}
        </main>
      </div>
    </Document>
  );
}

/** A dialog that works without script (rendered open, its close a link) and as a modal with it. */
export function Dialog(props: { id: string; title: string; open: boolean; children: Child }) {
  return (
    <dialog
      id={props.id}
      aria-labelledby={`${props.id}-title`}
      open={props.open}
      data-open-on-load={props.open ? '' : undefined}
    >
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

/** A table of rows under one header row, every cell data; with no rows, what `empty` says instead. */
export function Table(props: { headers: string[]; rows: Child[][]; empty?: string }) {
  if (props.rows.length === 0 && props.empty !== undefined) return <p>{props.empty}</p>;
  return (
    <table>
      <thead>
        <tr>
          {props.headers.map((header) => (
            <th scope="col">{header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            {row.map((cell) => (
              <td>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

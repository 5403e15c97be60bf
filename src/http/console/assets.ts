import { Hono } from 'hono';

/** The console's one stylesheet: system fonts, no images, visible focus everywhere. */
export const CONSOLE_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; --bad: #b42318; --good: #1a7f37; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif; color: var(--ink); background: #fff; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; padding: .75rem 1.25rem; background: #24292f; color: #fff; }
header.top a, header.top .brand { color: #fff; font-weight: 600; text-decoration: none; }
header.top form { display: inline-flex; gap: .5rem; align-items: center; margin: 0; }
header.top label { font-size: .85rem; }
.layout { display: grid; grid-template-columns: 14rem 1fr; min-height: calc(100vh - 3.5rem); }
nav.side { background: var(--bg); border-right: 1px solid var(--line); padding: 1rem; }
nav.side ul { list-style: none; margin: 0; padding: 0; }
nav.side a { display: block; padding: .4rem .5rem; border-radius: 4px; text-decoration: none; }
nav.side .nav-heading { margin: .75rem 0 .25rem; font-size: .8rem; font-weight: 600; text-transform: uppercase; color: var(--muted); }
nav.side .nav-heading:first-child { margin-top: 0; }
nav.side a[aria-current="page"] { background: #ddf4ff; font-weight: 600; }
main { padding: 1.25rem 1.5rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin: 0 0 1rem; }
.toolbar form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; margin: 0; }
label { display: block; font-weight: 600; font-size: .9rem; margin-bottom: .2rem; }
input, select, button, textarea { font: inherit; }
textarea { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9rem; width: 100%; }
input[type="text"], input[type="email"], input[type="password"], select, textarea { padding: .4rem .5rem; border: 1px solid #8c959f; border-radius: 4px; min-width: 14rem; background: #fff; color: var(--ink); }
button, .button { display: inline-block; padding: .4rem .9rem; border-radius: 4px; border: 1px solid #8c959f; background: #fff; color: var(--ink); cursor: pointer; text-decoration: none; }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { color: var(--bad); border-color: var(--bad); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: anywhere; }
td button { overflow-wrap: normal; white-space: nowrap; }
th { background: var(--bg); font-size: .9rem; }
.notice { padding: .6rem .8rem; border-radius: 4px; border: 1px solid var(--line); background: #ddf4ff; margin-bottom: 1rem; }
.notice.error { background: #ffebe9; border-color: #ffc1ba; color: var(--bad); }
.hint { color: var(--muted); font-size: .85rem; margin: .2rem 0 0; }
dialog { border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem; max-width: 40rem; width: 100%; }
dialog::backdrop { background: rgba(0, 0, 0, .4); }
.dialog-actions { display: flex; gap: .5rem; justify-content: flex-end; margin-top: 1rem; }
.field { margin-bottom: .8rem; }
.record { display: flex; gap: .5rem; align-items: center; }
.record code { flex: 1; padding: .4rem .5rem; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; overflow-wrap: anywhere; }
.yes { color: var(--good); font-weight: 600; }
.no { color: var(--bad); font-weight: 600; }
.signin { max-width: 24rem; margin: 4rem auto; padding: 1.5rem; border: 1px solid var(--line); border-radius: 8px; }
.inline { display: inline; margin: 0; }
pre.statement-mark { margin: .4rem 0 0; font: .9rem/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre; overflow-x: auto; color: var(--ink); }
pre.message { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: .75rem; }
@media (max-width: 48rem) { .layout { grid-template-columns: 1fr; } }
`.trim();

/**
 * Progressive enhancement only: every action also works as a plain form or link. Opens and closes dialogs
 * (the browser traps focus in a modal dialog and returns it on close) and copies records.
 */
export const CONSOLE_JS = `
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-open-dialog],[data-close-dialog],[data-copy]') : null;
  if (!target) return;
  if (target.hasAttribute('data-open-dialog')) {
    const dialog = document.getElementById(target.getAttribute('data-open-dialog'));
    if (dialog && typeof dialog.showModal === 'function') { event.preventDefault(); dialog.showModal(); dialog.querySelector('input:not([type=hidden]),select,button')?.focus(); }
  } else if (target.hasAttribute('data-close-dialog')) {
    const dialog = target.closest('dialog');
    if (dialog && dialog.open && dialog.hasAttribute('data-modal')) { event.preventDefault(); dialog.close(); }
  } else {
    const text = document.getElementById(target.getAttribute('data-copy'))?.textContent ?? '';
    navigator.clipboard?.writeText(text).then(() => { target.textContent = target.getAttribute('data-copied') || target.textContent; });
  }
});
for (const dialog of document.querySelectorAll('dialog[data-open-on-load]')) {
  if (typeof dialog.showModal === 'function') { dialog.close(); dialog.showModal(); }
}
for (const dialog of document.querySelectorAll('dialog')) dialog.setAttribute('data-modal', '');
const wrong = document.querySelector('textarea[data-error-line]');
if (wrong) {
  const lines = wrong.value.split('\\n');
  const line = Number(wrong.getAttribute('data-error-line'));
  const at = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + Number(wrong.getAttribute('data-error-column')) - 1;
  wrong.focus();
  wrong.setSelectionRange(at, at);
}
`.trim();

const CACHED = 'max-age=3600';

/** The stylesheet and script, served to the console and the public pages (unsubscribe) alike. */
export const consoleAssetRoutes = () =>
  new Hono()
    .get('/console.css', (c) =>
      c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': CACHED }),
    )
    .get('/console.js', (c) =>
      c.body(CONSOLE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': CACHED }),
    );
